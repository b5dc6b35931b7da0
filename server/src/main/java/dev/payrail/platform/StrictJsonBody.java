package dev.payrail.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request's JSON body as strictly as the payment intake does, for handlers that take money amounts: at
 * most 64 KiB whether or not the length was announced, strict UTF-8 (Jackson would read the overlong {@code C0 AF}
 * as {@code /}), and no field named twice ({@code {"amount":1,"amount":1000}} must not be read either way).
 */
public final class StrictJsonBody {

    public static final int BYTES_MAX = 64 * 1024;

    private static final ObjectReader READER = JsonMapper.builder().build().reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private StrictJsonBody() {}

    /** The body as a JSON tree, or an {@link ApiProblem} (400 / 408 / 413) saying why it cannot be read. */
    public static JsonNode read(HttpServletRequest request) {
        try (InputStream in = request.getInputStream()) {
            return parse(limitedBytes(in, request.getContentLengthLong()));
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /**
     * The body's bytes once they are known to be a strict JSON document within the limit (else an
     * {@link ApiProblem}, as {@link #read}): for bodies that a message converter reads afterwards
     * ({@link StrictJsonBodyAdvice}).
     */
    static byte[] checked(InputStream in, long declaredLength) {
        try {
            byte[] bytes = limitedBytes(in, declaredLength);
            parse(bytes);
            return bytes;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private static byte[] limitedBytes(InputStream in, long declaredLength) throws IOException {
        if (declaredLength > BYTES_MAX) {
            throw tooLarge();
        }
        byte[] bytes = in.readNBytes(BYTES_MAX + 1);
        if (bytes.length > BYTES_MAX) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed_json", "The body is empty.");
        }
        return bytes;
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return READER.readTree(strictUtf8(bytes));
        } catch (JacksonException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed_json", "The body is not valid JSON.");
        }
    }

    /** Tomcat has already chosen the status; this only keeps the stack trace out of the log. */
    private static ApiProblem unreadable(IOException e) {
        return e instanceof SocketTimeoutException || e.getCause() instanceof SocketTimeoutException
                ? new ApiProblem(HttpStatus.REQUEST_TIMEOUT, "request_timeout", "The body did not arrive in time.")
                : new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "The body could not be read.");
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed_json", "The body is not valid UTF-8.");
        }
    }

    private static ApiProblem tooLarge() {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "body_too_large",
                "The body must be at most " + BYTES_MAX + " bytes.");
    }
}
