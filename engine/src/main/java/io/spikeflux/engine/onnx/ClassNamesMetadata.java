package io.spikeflux.engine.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code classes} metadata entry of a model: a JSON array of strings, e.g.
 * {@code ["T-shirt/top", "Trouser"]}. Only that shape is read (with JSON's string escapes); anything
 * else is not a list of class names, and the caller falls back to numbered classes.
 */
final class ClassNamesMetadata {

    private final String text;
    private int at;

    private ClassNamesMetadata(String text) {
        this.text = text;
    }

    /** The model's class names if its metadata names exactly {@code classes} of them, else "0", "1", ... */
    static List<String> names(java.util.Map<String, String> metadata, int classes) {
        String json = metadata.get("classes");
        if (json != null) {
            // names that do not parse or do not match the output are cosmetic: numbered classes instead
            List<String> names = parse(json).orElse(List.of());
            if (names.size() == classes) {
                return names;
            }
        }
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    static Optional<List<String>> parse(String json) {
        try {
            return Optional.of(new ClassNamesMetadata(json).array());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private List<String> array() {
        List<String> names = new ArrayList<>();
        expect('[');
        if (peek() == ']') {
            at++;
        } else {
            while (true) {
                names.add(string());
                char c = next();
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or ]");
                }
            }
        }
        if (peek() != 0) {
            throw new IllegalArgumentException("text after the array");
        }
        return names;
    }

    private String string() {
        expect('"');
        StringBuilder s = new StringBuilder();
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                return s.toString();
            }
            if (c != '\\') {
                s.append(c);
                continue;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> s.append(e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }

    /** The next non-blank character, consumed. */
    private char next() {
        char c = peek();
        at++;
        return c;
    }

    /** The next non-blank character, or 0 at the end. */
    private char peek() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at < text.length() ? text.charAt(at) : 0;
    }
}
