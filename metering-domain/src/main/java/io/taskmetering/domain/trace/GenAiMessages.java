package io.taskmetering.domain.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text of captured chat messages ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}): a JSON list of
 * messages {@code {"role", "parts": [{"type": "text", "content"}], "finish_reason"}} as the GenAI conventions write it
 * into a string attribute. The domain takes no JSON library, so this reads exactly that text with a small strict
 * reader; text that is not such a list is unreadable ({@link Optional#empty()}), never a guess.
 */
final class GenAiMessages {
    /** Deeper text is not a message list; refusing it bounds the reader's recursion. */
    private static final int MAX_DEPTH = 16;

    private GenAiMessages() {
    }

    /** The text parts of the last message, joined by new lines ("" when it has none); empty when unreadable. */
    static Optional<String> lastText(String json) {
        return messages(json).map(list -> list.isEmpty() ? "" : text(list.get(list.size() - 1)));
    }

    /** The text of the last message with {@code role}; empty when unreadable or there is none. */
    static Optional<String> lastTextOf(String json, String role) {
        return messages(json).flatMap(list -> {
            for (int i = list.size() - 1; i >= 0; i--) {
                if (role.equals(list.get(i).get("role"))) {
                    return Optional.of(text(list.get(i)));
                }
            }
            return Optional.empty();
        });
    }

    private static String text(Map<?, ?> message) {
        List<String> texts = new ArrayList<>();
        if (message.get("parts") instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Map<?, ?> p && "text".equals(p.get("type")) && p.get("content") instanceof String s) {
                    texts.add(s);
                }
            }
        }
        return String.join("\n", texts);
    }

    private static Optional<List<Map<?, ?>>> messages(String json) {
        if (json == null) {
            return Optional.empty();
        }
        Object value;
        try {
            Reader reader = new Reader(json);
            value = reader.value(0);
            reader.end();
        } catch (IllegalArgumentException unreadable) {
            return Optional.empty();
        }
        if (!(value instanceof List<?> list)) {
            return Optional.empty();
        }
        List<Map<?, ?>> messages = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> message)) {
                return Optional.empty();
            }
            messages.add(message);
        }
        return Optional.of(messages);
    }

    /** RFC 8259 text to Java values: Map, List, String, Boolean, null, and numbers as their text (never needed). */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("too deep");
            }
            skipSpace();
            char c = peek();
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    return number();
            }
        }

        void end() {
            skipSpace();
            if (at != text.length()) {
                throw new IllegalArgumentException("trailing text");
            }
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (peek() == '}') {
                at++;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw new IllegalArgumentException("member name expected");
                }
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value(depth + 1));
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array(int depth) {
            List<Object> list = new ArrayList<>();
            at++;
            skipSpace();
            if (peek() == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(value(depth + 1));
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw new IllegalArgumentException("short escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException bad) {
                            throw new IllegalArgumentException("bad escape");
                        }
                        at += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape");
                }
            }
        }

        private String number() {
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String number = text.substring(start, at);
            if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                throw new IllegalArgumentException("not a value");
            }
            return number;
        }

        private void literal(String word) {
            if (!text.startsWith(word, at)) {
                throw new IllegalArgumentException("not a value");
            }
            at += word.length();
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c);
            }
        }

        private char next() {
            char c = peek();
            at++;
            return c;
        }

        private char peek() {
            if (at >= text.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return text.charAt(at);
        }

        private void skipSpace() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }
    }
}
