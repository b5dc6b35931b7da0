package dev.payrail.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import lombok.RequiredArgsConstructor;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first thing every request meets after Tomcat: refuses a query string that is not strict UTF-8
 * percent-encoding or carries control characters, and a header that must appear once but appears twice.
 *
 * <p>Tomcat accepts {@code %C0} or {@code %00} in a query and decodes parameters only when a handler asks for
 * them; then it throws, and the answer was a 500 with a stack trace of about 8 KB in the log for each request,
 * or a NUL that PostgreSQL refused. Checking the raw query here, before any handler or actuator endpoint reads a
 * parameter, makes both a 400 that logs nothing. Repeated headers are joined with a comma by Spring or
 * resolved first-wins by a filter; either way the request would be read differently from how it was meant.
 */
@RequiredArgsConstructor
public class StrictRequestFilter extends OncePerRequestFilter {

    /** Headers whose second copy is refused rather than joined or ignored. */
    public static final List<String> SINGLE_VALUED_HEADERS =
            List.of("X-API-Key", "Idempotency-Key", "Authorization", "Content-Type");

    private final JsonMapper json;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String header : SINGLE_VALUED_HEADERS) {
            if (appearsMoreThanOnce(request.getHeaders(header))) {
                Problems.write(response, json, new ApiProblem(HttpStatus.BAD_REQUEST, "duplicate_header",
                        "Send the " + header + " header once."));
                return;
            }
        }
        String query = request.getQueryString();
        if (query != null && !isCleanQuery(query)) {
            Problems.write(response, json, new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_query",
                    "The query string must be UTF-8, percent-encoded, without control characters."));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean appearsMoreThanOnce(Enumeration<String> values) {
        if (values == null || !values.hasMoreElements()) {
            return false;
        }
        values.nextElement();
        return values.hasMoreElements();
    }

    /**
     * True if every name and value of the raw query decodes as UTF-8 (overlong forms, surrogates and stray
     * continuation bytes are errors, as the decoder reports them) and contains no C0 control character or DEL.
     * Tomcat hands the query over as ISO-8859-1, one char per byte, so the chars are the bytes.
     */
    static boolean isCleanQuery(String rawQuery) {
        for (String part : rawQuery.split("[&=]", -1)) {
            byte[] bytes = percentDecode(part);
            if (bytes == null) {
                return false;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                return false;
            }
            if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of one query component, or null if a {@code %} is not followed by two hex digits. */
    private static byte[] percentDecode(String part) {
        ByteBuffer out = ByteBuffer.allocate(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                if (i + 2 >= part.length()) {
                    return null;
                }
                int high = hex(part.charAt(i + 1));
                int low = hex(part.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return null;
                }
                out.put((byte) (high << 4 | low));
                i += 2;
            } else if (c == '+') {
                out.put((byte) ' ');
            } else if (c > 0xff) {
                return null;
            } else {
                out.put((byte) c);
            }
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
