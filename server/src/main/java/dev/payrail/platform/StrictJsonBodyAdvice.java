package dev.payrail.platform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.databind.JsonNode;

/**
 * Every {@code @RequestBody JsonNode} (the admin API's bodies, webhook endpoints, the simulators) is held to the
 * merchant intake's rules before Jackson reads it: at most {@link StrictJsonBody#BYTES_MAX} bytes (413
 * {@code body_too_large}), strict UTF-8, and no field named twice (400 {@code malformed_json}), so
 * {@code {"status":"failed","status":"declined"}} is refused instead of being read as the last one. It runs after
 * the filters, so an unauthenticated caller still gets its 401 first.
 */
@ControllerAdvice
class StrictJsonBodyAdvice extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType instanceof Class<?> type && JsonNode.class.isAssignableFrom(type);
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        byte[] bytes = StrictJsonBody.checked(input.getBody(), input.getHeaders().getContentLength());
        return new Checked(input.getHeaders(), bytes);
    }

    /** The same request, its body already read and checked. */
    private record Checked(HttpHeaders headers, byte[] bytes) implements HttpInputMessage {
        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }
}
