package io.taskmetering.adapter.persistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Opaque keyset cursors: the sort key of the last row of a page, as base64url of a JSON array. */
final class Cursors {
    private Cursors() {
    }

    static String encode(Object... sortKey) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(JsonColumns.write(List.of(sortKey)).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's values; refuses (on field {@code cursor}) anything that is not an array of {@code arity} values. */
    static List<Object> decode(String cursor, int arity) {
        try {
            Object parsed = JsonColumns.read(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (parsed instanceof List<?> list && list.size() == arity) {
                return new ArrayList<>(list);
            }
        } catch (RuntimeException e) {
            throw Db.badCursor();
        }
        throw Db.badCursor();
    }

    static long longAt(List<Object> values, int i) {
        if (values.get(i) instanceof Long l) {
            return l;
        }
        throw Db.badCursor();
    }

    static String stringAt(List<Object> values, int i) {
        if (values.get(i) instanceof String s) {
            return s;
        }
        throw Db.badCursor();
    }
}
