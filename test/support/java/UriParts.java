// url.* as Elastic's uri_parts processor derives it from java.net.URI (and java.net.URL when URI
// refuses the string), for the url-parts agreement test: one input per line, each a JSON string
// literal with only \" and \\ escapes; one JSON object (or null when both refuse it) per line out.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

public class UriParts {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) out.append(json(parts(unquote(line)))).append('\n');
        System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
        System.out.flush();
    }

    static Map<String, Object> parts(String value) {
        Map<String, Object> parts = new LinkedHashMap<>();
        String domain, fragment, path, query, scheme, userInfo;
        int port;
        try {
            URI uri = new URI(value);
            domain = uri.getHost(); fragment = uri.getFragment(); path = uri.getPath(); port = uri.getPort();
            query = uri.getQuery(); scheme = uri.getScheme(); userInfo = uri.getUserInfo();
        } catch (Exception e) {
            try {
                URL url = new URL(value);
                domain = url.getHost(); fragment = url.getRef(); path = url.getPath(); port = url.getPort();
                query = url.getQuery(); scheme = url.getProtocol(); userInfo = url.getUserInfo();
            } catch (Exception e2) {
                return null;
            }
        }
        put(parts, "original", value);
        put(parts, "domain", domain);
        put(parts, "fragment", fragment);
        if (path != null) {
            put(parts, "path", path);
            int slash = path.lastIndexOf('/');
            if (slash >= 0) {
                String last = path.substring(slash);
                int dot = last.lastIndexOf('.');
                if (dot >= 0) put(parts, "extension", last.substring(dot + 1));
            }
        }
        if (port != -1) parts.put("port", port);
        put(parts, "query", query);
        put(parts, "scheme", scheme);
        if (userInfo != null) {
            put(parts, "user_info", userInfo);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                put(parts, "username", userInfo.substring(0, colon));
                put(parts, "password", userInfo.substring(colon + 1));
            }
        }
        return parts;
    }

    /** The pipeline's last step removes empty strings: they are left out here already. */
    static void put(Map<String, Object> parts, String key, String value) {
        if (value != null && !value.isEmpty()) parts.put(key, value);
    }

    static String unquote(String literal) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == '\\') c = literal.charAt(++i);
            s.append(c);
        }
        return s.toString();
    }

    static String json(Map<String, Object> parts) {
        if (parts == null) return "null";
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, Object> e : parts.entrySet()) {
            if (s.length() > 1) s.append(',');
            s.append(quote(e.getKey())).append(':');
            s.append(e.getValue() instanceof Integer ? e.getValue().toString() : quote((String) e.getValue()));
        }
        return s.append('}').toString();
    }

    static String quote(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') s.append('\\').append(c);
            else if (c < 0x20) s.append(String.format("\\u%04x", (int) c));
            else s.append(c);
        }
        return s.append('"').toString();
    }
}
