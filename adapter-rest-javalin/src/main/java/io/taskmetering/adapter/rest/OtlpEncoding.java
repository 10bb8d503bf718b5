package io.taskmetering.adapter.rest;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The two encodings of OTLP/HTTP, named by the request's {@code Content-Type}: binary protobuf and OTLP JSON (the
 * protobuf JSON mapping). An answer, success or error, is written in the encoding of the request.
 */
enum OtlpEncoding {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    /**
     * {@code google.rpc.Status}, the body of every OTLP error answer. Its descriptor is built here rather than taken
     * from a generated class: the service sets only {@code code} and {@code message} (never {@code details}), and the
     * two fields are wire- and JSON-compatible with the published message without another dependency.
     */
    private static final Descriptors.Descriptor STATUS = statusDescriptor();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final String mediaType;

    OtlpEncoding(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }

    /** The encoding a {@code Content-Type} names (parameters such as {@code charset} ignored); empty for any other. */
    static Optional<OtlpEncoding> of(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (OtlpEncoding encoding : values()) {
            if (encoding.mediaType.equals(type)) {
                return Optional.of(encoding);
            }
        }
        return Optional.empty();
    }

    /** A protobuf message in this encoding. */
    byte[] write(Message message) {
        if (this == PROTOBUF) {
            return message.toByteArray();
        }
        try {
            return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an OTLP answer could not be printed as JSON", e);
        }
    }

    /** The {@code google.rpc.Status} of an error answer: the gRPC code that fits the HTTP status, and the message. */
    byte[] status(int httpStatus, String message) {
        return write(DynamicMessage.newBuilder(STATUS)
                .setField(STATUS.findFieldByName("code"), grpcCode(httpStatus))
                .setField(STATUS.findFieldByName("message"), message)
                .build());
    }

    /** The gRPC status code an OTLP/gRPC server would answer for the same failure. */
    static int grpcCode(int httpStatus) {
        return switch (httpStatus) {
            case 400, 415, 422 -> 3; // INVALID_ARGUMENT
            case 401 -> 16; // UNAUTHENTICATED
            case 403 -> 7; // PERMISSION_DENIED
            case 404 -> 5; // NOT_FOUND
            case 405 -> 12; // UNIMPLEMENTED
            case 413, 429 -> 8; // RESOURCE_EXHAUSTED
            case 503 -> 14; // UNAVAILABLE
            default -> 13; // INTERNAL
        };
    }

    private static Descriptors.Descriptor statusDescriptor() {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("google/rpc/status.proto")
                .setPackage("google.rpc")
                .setSyntax("proto3")
                .addMessageType(DescriptorProto.newBuilder().setName("Status")
                        .addField(field("code", 1, FieldDescriptorProto.Type.TYPE_INT32))
                        .addField(field("message", 2, FieldDescriptorProto.Type.TYPE_STRING)))
                .build();
        try {
            return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
                    .findMessageTypeByName("Status");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException("google.rpc.Status could not be described", e);
        }
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setJsonName(name).setNumber(number).setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).build();
    }
}
