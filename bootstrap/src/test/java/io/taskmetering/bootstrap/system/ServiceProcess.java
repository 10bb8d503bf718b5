package io.taskmetering.bootstrap.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real runnable jar ({@code bootstrap/target/agent-task-metering.jar}) as a separate operating-system process:
 * configured only through {@code METERING_*} environment variables (inherited ones are removed), stdout and stderr
 * captured to files under {@code target/system-it/}, stopped with SIGTERM ({@link #stop()}) or SIGKILL
 * ({@link #kill()}).
 */
final class ServiceProcess implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final int port;

    private ServiceProcess(String name, Process process, Path stdout, Path stderr, int port) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.port = port;
    }

    /** The shaded jar that {@code mvn package} built; failsafe passes its path as {@code metering.jar}. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("metering.jar", "target/agent-task-metering.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the runnable jar " + jar.toAbsolutePath()
                    + " does not exist: run the system tests with mvn verify (they need the package phase)");
        }
        return jar;
    }

    static Path logDirectory() {
        Path dir = Path.of(System.getProperty("metering.system.logs", "target/system-it"));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java -jar agent-task-metering.jar serve} on a free port; returns at once (see {@link #awaitReady()}). */
    static ServiceProcess serve(String name, Map<String, String> env) {
        Map<String, String> withPort = new LinkedHashMap<>(env);
        int port = freePort();
        withPort.put("METERING_HTTP_PORT", Integer.toString(port));
        return launch(name, withPort, port, "serve");
    }

    /** Starts the jar with {@code args} and waits up to {@code timeout} for it to exit. */
    static Finished run(String name, Map<String, String> env, Duration timeout, String... args) {
        ServiceProcess p = launch(name, env, -1, args);
        try {
            if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.process.destroyForcibly();
                throw new AssertionError(name + ": the jar did not exit within " + timeout + "; stderr:\n" + p.stderr());
            }
            return new Finished(p.process.exitValue(), p.stdout(), p.stderr());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.process.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
    }

    record Finished(int exitCode, String stdout, String stderr) {
    }

    private static ServiceProcess launch(String name, Map<String, String> env, int port, String... args) {
        String unique = name + "-" + SEQUENCE.incrementAndGet();
        Path dir = logDirectory();
        Path out = dir.resolve(unique + ".out");
        Path err = dir.resolve(unique + ".err");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-jar");
        command.add(jar().toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("METERING_"));
        environment.putAll(env);
        try {
            Path work = Files.createDirectories(dir.resolve(unique + ".cwd"));
            builder.directory(work.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            return new ServiceProcess(unique, process, out, err, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Polls {@code GET /ready} until it answers 200; fails at once if the process exits first. */
    ServiceProcess awaitReady() {
        return awaitReady(Duration.ofSeconds(60));
    }

    ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/ready")).timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready; stderr:\n"
                        + tail(stderr(), 60));
            }
            try {
                HttpResponse<String> response = PROBE.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            pause(50);
        }
        throw new AssertionError(name + " was not ready within " + timeout + "; stderr:\n" + tail(stderr(), 60));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String name() {
        return name;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM (graceful: the shutdown hook finishes in-flight work), then waits for the exit code. */
    int stop() {
        process.destroy();
        return awaitExit(Duration.ofSeconds(90));
    }

    /** Sends SIGTERM without waiting. */
    void signalTerm() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing finished. */
    int kill() {
        process.destroyForcibly();
        return awaitExit(Duration.ofSeconds(30));
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not exit within " + timeout + "; stderr:\n" + tail(stderr(), 60));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits until stderr holds {@code text} (a log line), failing if the process exits or time runs out. */
    void awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stderr().contains(text)) {
                return;
            }
            pause(20);
        }
        throw new AssertionError(name + ": no log line with '" + text + "' within " + timeout + "; stderr:\n"
                + tail(stderr(), 40));
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + "@" + baseUrl();
    }
}
