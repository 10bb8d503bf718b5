package io.taskmetering.bootstrap.architecture;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module rules of docs/architecture.md as ArchUnit rules, shared by the architecture test and the deliberate-violation test.
 * Teams that embed the domain can run the same rules in their CI.
 */
public final class ArchitectureRules {
    public static final String ROOT = "io.taskmetering";
    static final String DOMAIN = "io.taskmetering.domain..";
    static final String APPLICATION = "io.taskmetering.application..";
    static final String PORT_IN = "io.taskmetering.application.port.in..";
    static final String PORT_OUT = "io.taskmetering.application.port.out..";
    static final String MODEL = "io.taskmetering.application.model..";
    static final String SERVICE = "io.taskmetering.application.service..";
    static final String PERSISTENCE = "io.taskmetering.adapter.persistence..";
    static final String MARKETPLACE = "io.taskmetering.adapter.marketplace..";
    static final String REST = "io.taskmetering.adapter.rest..";
    static final String BOOTSTRAP = "io.taskmetering.bootstrap..";

    static final String[] FRAMEWORKS = {
            "io.javalin..", "org.eclipse.jetty..", "org.jdbi..", "okhttp3..", "okio..", "io.github.resilience4j..",
            "com.fasterxml.jackson..", "org.flywaydb..", "com.zaxxer.hikari..", "java.sql..", "javax.sql..",
            "org.h2..", "org.postgresql..", "io.micrometer..", "org.slf4j.."};

    /** The parts of the JDK a pure core may use: language, collections, time, math, hashing. No I/O, SQL or network. */
    static final String[] CORE_JDK = {"java.lang..", "java.util..", "java.time..", "java.math..", "java.security..",
            "java.nio.charset.."};

    private ArchitectureRules() {
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** The domain needs the JDK and nothing else. */
    public static final ArchRule DOMAIN_IS_JDK_ONLY = classes().that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage(with(CORE_JDK, DOMAIN))
            .because("the domain jar is embeddable with the JDK alone");

    /** The application needs the domain and the JDK; no framework, no SQL. */
    public static final ArchRule APPLICATION_IS_FRAMEWORK_FREE = classes().that().resideInAPackage(APPLICATION)
            .should().onlyDependOnClassesThat().resideInAnyPackage(with(CORE_JDK, DOMAIN, APPLICATION))
            .because("use cases and ports are technology-free");

    public static final ArchRule CORE_USES_NO_FRAMEWORK = noClasses().that().resideInAnyPackage(DOMAIN, APPLICATION)
            .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS);

    /** Dependencies point inwards; adapters never know each other. */
    public static final ArchRule HEXAGONAL_LAYERS = Architectures.onionArchitecture()
            .domainModels(DOMAIN)
            .applicationServices(APPLICATION)
            .adapter("persistence", PERSISTENCE)
            .adapter("marketplace", MARKETPLACE)
            .adapter("rest", REST)
            // The domain has no separate domain-service layer; that every adapter exists is checked elsewhere.
            .withOptionalLayers(true)
            // Bootstrap wires everything by hand, so it may see every layer.
            .ignoreDependency(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(BOOTSTRAP),
                    com.tngtech.archunit.base.DescribedPredicate.alwaysTrue());

    /** Adapters reach the application only through its ports (and the value types the ports carry). */
    public static final ArchRule ADAPTERS_USE_ONLY_PORTS = noClasses().that()
            .resideInAnyPackage(PERSISTENCE, MARKETPLACE, REST)
            .should().dependOnClassesThat().resideInAPackage(SERVICE)
            .because("adapters talk to the application through port.in and port.out only");

    public static final ArchRule JDBI_ONLY_IN_PERSISTENCE = noClasses().that().resideOutsideOfPackage(PERSISTENCE)
            .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "org.flywaydb..", "com.zaxxer.hikari..",
                    "java.sql..", "javax.sql..", "org.h2..", "org.postgresql..");

    public static final ArchRule HTTP_CLIENT_ONLY_IN_MARKETPLACE = noClasses().that().resideOutsideOfPackage(MARKETPLACE)
            .should().dependOnClassesThat().resideInAnyPackage("okhttp3..", "okio..", "io.github.resilience4j..");

    public static final ArchRule JAVALIN_ONLY_IN_REST = noClasses().that().resideOutsideOfPackage(REST)
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..");

    /** JSON text is read and written at the edge: the HTTP adapters, the JSON columns, the CLI's client. */
    public static final ArchRule JACKSON_ONLY_IN_ADAPTERS_AND_BOOTSTRAP = noClasses().that()
            .resideOutsideOfPackages(PERSISTENCE, MARKETPLACE, REST, BOOTSTRAP)
            .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
            .because("the core never parses JSON; the domain only writes the RFC 8785 form it hashes");

    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.taskmetering.(**)").should().beFreeOfCycles();

    /** An incoming port is a use case (one command) or a group of read-only queries: either way an interface. */
    public static final ArchRule USE_CASES_ARE_INTERFACES = classes().that().resideInAPackage(PORT_IN)
            .and().haveSimpleNameEndingWith("UseCase").or().haveSimpleNameEndingWith("Queries")
            .should().beInterfaces();

    public static final ArchRule OUTGOING_PORTS_ARE_INTERFACES = classes().that().resideInAPackage(PORT_OUT)
            .and().haveSimpleNameEndingWith("Port")
            .should().beInterfaces();

    public static final ArchRule SERVICES_ARE_FINAL_USE_CASE_IMPLEMENTATIONS = classes().that().resideInAPackage(SERVICE)
            .and().haveSimpleNameEndingWith("Service").and().haveSimpleNameNotEndingWith("QueryService")
            .should().haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
            .andShould().bePublic()
            .andShould().implement(incomingPort("UseCase"));

    public static final ArchRule QUERY_SERVICES_ARE_FINAL_QUERIES_IMPLEMENTATIONS = classes().that()
            .resideInAPackage(SERVICE).and().haveSimpleNameEndingWith("QueryService")
            .should().haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
            .andShould().bePublic()
            .andShould().implement(incomingPort("Queries"));

    /** A query service answers from storage: no transaction, no port that writes. */
    public static final ArchRule QUERY_SERVICES_ONLY_READ = noClasses().that().resideInAPackage(SERVICE)
            .and().haveSimpleNameEndingWith("QueryService")
            .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("a port that writes",
                    (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().equals("io.taskmetering.application.port.out")
                            && (c.getSimpleName().equals("UnitOfWork") || c.getSimpleName().matches("(Save|Claim|Record).*Port"))));

    /** The one wiring builds every service; nothing else in the application constructs a service. */
    public static final ArchRule ONE_WIRING_BUILDS_THE_SERVICES = noClasses().that().resideInAPackage(APPLICATION)
            .and().doNotHaveSimpleName("MeteringUseCases")
            .should().callConstructorWhere(com.tngtech.archunit.base.DescribedPredicate.describe("of a public service",
                    (com.tngtech.archunit.core.domain.JavaConstructorCall call) -> {
                        var owner = call.getTargetOwner();
                        // a service's constructor delegating to its own other constructor builds nothing new
                        return !call.getOriginOwner().equals(owner)
                                && owner.getPackageName().equals("io.taskmetering.application.service")
                                && owner.getSimpleName().endsWith("Service")
                                && owner.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC);
                    }));

    private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> incomingPort(
            String suffix) {
        return com.tngtech.archunit.base.DescribedPredicate.describe("an incoming port (*" + suffix + ")",
                c -> c.getPackageName().startsWith("io.taskmetering.application.port.in") && c.getSimpleName().endsWith(suffix));
    }

    /** Wiring is by hand: no class outside bootstrap builds the object graph from adapters. */
    public static final ArchRule ONLY_BOOTSTRAP_WIRES_ADAPTERS = noClasses().that().resideOutsideOfPackage(BOOTSTRAP)
            .and().resideOutsideOfPackages(PERSISTENCE, MARKETPLACE, REST)
            .should().dependOnClassesThat().resideInAnyPackage(PERSISTENCE, MARKETPLACE, REST);
}
