package dev.payrail.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.ServerBaseUrlCustomizer;
import org.springdoc.core.utils.SpringDocAnnotationsUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The OpenAPI description served at {@code /v3/api-docs} (browse it at {@code /swagger-ui.html}), by springdoc.
 * Controllers name their security scheme with {@link #API_KEY} or {@link #ADMIN_TOKEN}.
 *
 * <p>What is added here, for every route, so that a generated client is exact: the security each path prefix
 * really has, the problem+json answers every route can give (with their stable codes), the {@code Problem}
 * schema, and {@code required} on every answer field. A route states its own refusals with
 * {@link ProblemResponse} (status and codes; the codes become the answer's enum). The build lints the result with Redocly's recommended rules ({@code OpenApiLintIT}).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    /** The merchant API's scheme: the {@code X-API-Key} header. */
    public static final String API_KEY = "apiKey";
    /** The admin API's scheme: {@code Authorization: Bearer <PAYRAIL_ADMIN_TOKEN>}. */
    public static final String ADMIN_TOKEN = "adminToken";
    /** The admin API's other scheme: the operator's session cookie from {@code POST /admin-api/session}. */
    public static final String ADMIN_SESSION = "adminSession";
    /** The schema of every error answer. */
    public static final String PROBLEM = "Problem";

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final Pattern CODE_LIST = Pattern.compile("[a-z][a-z0-9_]*(, *[a-z][a-z0-9_]*)*");

    /**
     * The wire uses snake_case (spring.jackson.property-naming-strategy); swagger-core resolves schemas with its
     * own Jackson 2 mapper, so it is told the same strategy here.
     */
    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new RequiredFieldsModelResolver(
                Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    /**
     * The description's {@code servers}: {@code PAYRAIL_PUBLIC_URL}, or this node's loopback address. springdoc
     * would otherwise build it from the request, whose Host header the client chooses ({@code Host: evil.example}
     * would then be the server a generated client calls).
     */
    @Bean
    ServerBaseUrlCustomizer configuredServerUrl(PayrailProperties properties, Environment env) {
        String configured = properties.publicAddress().url().replaceAll("/+$", "");
        return (fromRequest, request) -> configured.isEmpty()
                ? "http://127.0.0.1:" + env.getProperty("local.server.port", env.getProperty("server.port", "8000"))
                : configured;
    }

    @Bean
    OpenAPI payrailOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Payrail API").version("v1")
                        .description("Payments for merchants (X-API-Key) and their operators (/admin-api, "
                                + "Authorization: Bearer). Errors are application/problem+json (RFC 9457) "
                                + "with a stable `code`. Times are epoch seconds; money is integer minor units."))
                .components(new Components().addSecuritySchemes(API_KEY,
                        new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER)
                                .name("X-API-Key"))
                        .addSecuritySchemes(ADMIN_TOKEN,
                                new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer"))
                        .addSecuritySchemes(ADMIN_SESSION, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.COOKIE).name("PAYRAIL_SESSION")
                                .description("Operator session from POST /admin-api/session; every change made with "
                                        + "it repeats the XSRF-TOKEN cookie in the X-XSRF-TOKEN header")));
    }

    /** The schemas of the bodies named by {@link JsonBody}, resolved as springdoc resolves its own. */
    private final Components bodySchemas = new Components();

    /** The problem answers a route declares with {@link ProblemResponse}, and its {@link JsonBody}. */
    @Bean
    GlobalOperationCustomizer routeProblems() {
        return (operation, handler) -> {
            JsonBody body = handler.getMethodAnnotation(JsonBody.class);
            if (body != null) {
                Schema<?> schema;
                synchronized (bodySchemas) {
                    schema = SpringDocAnnotationsUtils.extractSchema(bodySchemas, body.value(), null, null,
                            SpecVersion.V31);
                }
                operation.setRequestBody(new RequestBody().required(true).content(new Content()
                        .addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                                new MediaType().schema(schema))));
            }
            for (ProblemResponse declared : handler.getMethod().getAnnotationsByType(ProblemResponse.class)) {
                ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
                operation.setResponses(responses);
                responses.addApiResponse(String.valueOf(declared.status()), new ApiResponse()
                        .description(declared.description() + ": " + String.join(", ", declared.codes()))
                        .content(problemContent(declared.codes())));
            }
            return operation;
        };
    }

    /** Security, problem answers and tidying for every route; see the class comment. */
    @Bean
    OpenApiCustomizer problemAnswers() {
        return openApi -> {
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            synchronized (bodySchemas) {
                if (bodySchemas.getSchemas() != null) {
                    bodySchemas.getSchemas().forEach(openApi.getComponents().getSchemas()::putIfAbsent);
                }
            }
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().keySet().removeIf(path -> path.equals("/error"));   // the container's error page
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> describe(path, method, operation)));
            openApi.setTags(mergedTags(openApi.getTags()));
        };
    }

    private static void describe(String path, PathItem.HttpMethod method, Operation operation) {
        boolean admin = path.startsWith("/admin-api/") || path.startsWith("/api/admin-api/");
        boolean merchant = path.startsWith("/v1/") || path.equals("/payments") || path.startsWith("/payments/");
        boolean login = admin && method == PathItem.HttpMethod.POST && path.endsWith("/admin-api/session");
        if (login) {
            operation.setSecurity(List.of());
        } else if (admin) {
            operation.setSecurity(List.of(new SecurityRequirement().addList(ADMIN_SESSION),
                    new SecurityRequirement().addList(ADMIN_TOKEN)));
        } else if (merchant) {
            operation.setSecurity(List.of(new SecurityRequirement().addList(API_KEY)));
        } else {
            operation.setSecurity(List.of());   // public: health, the simulators
        }
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        responses.forEach((status, response) -> completeDeclaredProblem(status, response));
        boolean withBody = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.PATCH;
        addProblem(responses, "400", "The request is malformed; nothing changed", "malformed_json", "invalid_body",
                "invalid_query", "duplicate_header", "bad_request", "invalid_parameter", "idempotency_key_too_long",
                "idempotency_key_invalid");
        if (login) {
            addProblem(responses, "401", "Wrong e-mail or password", "login_failed");
            addProblem(responses, "429", "Too many failed logins; see Retry-After", "login_throttled");
        } else if (admin) {
            addProblem(responses, "401", "Not logged in and no valid admin token", "authentication_required",
                    "admin_token_invalid", "admin_token_not_configured");
            addProblem(responses, "403", "The role may not do this, or a cookie change came without its CSRF header",
                    "role_forbidden", "csrf_token_invalid");
            if (withBody || method == PathItem.HttpMethod.DELETE) {
                addProblem(responses, "429", "Too many changes by one actor in a minute", "rate_limited");
            }
        } else if (merchant) {
            addProblem(responses, "401", "No valid API key", "api_key_missing", "api_key_invalid");
        }
        if (path.contains("{")) {
            addProblem(responses, "404", "Nothing with this id (another merchant's counts as none)");
        }
        if (withBody) {
            addProblem(responses, "413", "The body is over 64 KiB", "body_too_large");
            addProblem(responses, "415", "The body is not application/json", "unsupported_media_type");
            addProblem(responses, "422", "A field is invalid: `errors` names each one; nothing changed",
                    "validation_failed", "idempotency_key_reuse");
        }
        addProblem(responses, "500", "A fault of ours: the answer's incident_id is in the log", "internal_error");
        ApiResponse unavailable = addProblem(responses, "503", "The database did not answer in time; retry",
                "temporarily_unavailable");
        if (unavailable != null) {
            unavailable.addHeaderObject("Retry-After", new Header().description("Seconds to wait")
                    .schema(new JsonSchema().types(Set.of("integer"))));
        }
    }

    /**
     * A problem answer a route declared itself: problem+json with the Problem schema, and its description's
     * codes ({@code "illegal_transition, manual_approval_refused"}) as the enum of {@code code}.
     */
    private static void completeDeclaredProblem(String status, ApiResponse response) {
        if (!(status.startsWith("4") || status.startsWith("5")) || response.get$ref() != null) {
            return;
        }
        Content content = response.getContent();
        boolean empty = content == null || content.isEmpty()
                || content.values().stream().allMatch(media -> media.getSchema() == null);
        if (!empty) {
            return;
        }
        String description = response.getDescription() == null ? "" : response.getDescription().trim();
        String[] codes = CODE_LIST.matcher(description).matches() ? description.split(", *") : new String[0];
        response.setContent(problemContent(codes));
        if (description.isEmpty()) {
            response.setDescription("Refused; nothing changed");
        }
    }

    private static @Nullable ApiResponse addProblem(ApiResponses responses, String status, String description,
                                                    String... codes) {
        if (responses.containsKey(status)) {
            return null;
        }
        ApiResponse response = new ApiResponse().description(description).content(problemContent(codes));
        responses.addApiResponse(status, response);
        return response;
    }

    private static Content problemContent(String... codes) {
        Schema<?> schema = new JsonSchema().$ref("#/components/schemas/" + PROBLEM);
        if (codes.length > 0) {
            JsonSchema code = new JsonSchema();
            code.types(Set.of("string"));
            code.setEnum(new ArrayList<>(Arrays.asList(codes)));
            schema = new JsonSchema().allOf(List.of(schema,
                    new JsonSchema().types(Set.of("object")).properties(Map.of("code", code))));
        }
        return new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(schema));
    }

    /** RFC 9457 problem details as Payrail writes them ({@link Problems}). */
    private static Schema<?> problemSchema() {
        Map<String, Schema> fieldProperties = new LinkedHashMap<>();
        fieldProperties.put("field", string("The field, in the wire's spelling (e.g. payment_method.number)"));
        fieldProperties.put("code", string("Stable code of this field's problem (e.g. required, out_of_range)"));
        fieldProperties.put("message", string("For people"));
        Schema<?> fieldProblem = new JsonSchema().types(Set.of("object")).properties(fieldProperties)
                .required(List.of("field", "code", "message"));
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", string("A URI naming the problem; ends in the code").format("uri"));
        properties.put("title", string("The HTTP status's reason phrase"));
        properties.put("status", new JsonSchema().types(Set.of("integer")).description("The HTTP status"));
        properties.put("detail", string("What went wrong, for people; never echoes what was sent"));
        properties.put("instance", string("The request path").format("uri-reference"));
        properties.put("code", string("Stable, machine-readable: what a client switches on"));
        properties.put("errors", new JsonSchema().types(Set.of("array")).items(fieldProblem)
                .description("Each invalid field (validation_failed)"));
        properties.put("incident_id", string("Quoted in the log beside the stack trace (internal_error)"));
        return new JsonSchema().types(Set.of("object")).properties(properties)
                .required(List.of("type", "title", "status", "code"))
                .description("An error answer: application/problem+json (RFC 9457) with a stable code");
    }

    private static Schema<?> string(String description) {
        return new JsonSchema().types(Set.of("string")).description(description);
    }

    /** One tag per name (controllers of one area may each declare it), descriptions joined. */
    private static @Nullable List<Tag> mergedTags(@Nullable List<Tag> tags) {
        if (tags == null) {
            return null;
        }
        Map<String, Tag> byName = new LinkedHashMap<>();
        for (Tag tag : tags) {
            Tag known = byName.putIfAbsent(tag.getName(), tag);
            if (known != null && tag.getDescription() != null && !tag.getDescription().equals(known.getDescription())) {
                known.setDescription(known.getDescription() == null ? tag.getDescription()
                        : known.getDescription() + "; " + tag.getDescription());
            }
        }
        return new ArrayList<>(byName.values());
    }

    /**
     * Marks every field of an answer record {@code required} (Jackson writes each component, a null one as
     * {@code null}) and lets the ones annotated {@code @Nullable} be {@code null} (the modules are
     * {@code @NullMarked}: anything else never is). Request bodies ({@code *Body} records and their parts) say
     * what they require themselves: a field a client may leave out is not {@code @Nullable} there.
     */
    static final class RequiredFieldsModelResolver extends ModelResolver {

        RequiredFieldsModelResolver(ObjectMapper mapper) {
            super(mapper);
        }

        @Override
        public Schema resolve(AnnotatedType annotatedType, ModelConverterContext context, Iterator<ModelConverter> next) {
            Schema schema = super.resolve(annotatedType, context, next);
            Class<?> type = annotatedType.getType() == null ? null
                    : _mapper.constructType(annotatedType.getType()).getRawClass();
            if (schema == null || type == null || !type.isRecord() || isRequestBody(type)) {
                return schema;
            }
            // Asked for as a reference, the resolver answers a $ref and keeps the model among the defined ones.
            Schema<?> model = schema.get$ref() == null ? schema
                    : context.getDefinedModels().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
            if (model != null && model.getProperties() != null) {
                markRequired(model, type);
            }
            return schema;
        }

        private static boolean isRequestBody(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
                if (c.getSimpleName().endsWith("Body")) {
                    return true;
                }
            }
            return false;
        }

        private void markRequired(Schema<?> schema, Class<?> record) {
            var naming = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
            Set<String> required = new LinkedHashSet<>(schema.getRequired() == null ? List.of() : schema.getRequired());
            for (RecordComponent component : record.getRecordComponents()) {
                String name = naming.translate(component.getName());
                Schema<?> property = schema.getProperties().get(name);
                if (property == null) {
                    continue;
                }
                required.add(name);   // Jackson writes every component, null ones as null
                if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                    schema.getProperties().put(name, nullable(property));
                }
            }
            schema.setRequired(new ArrayList<>(required));
        }

        private static Schema<?> nullable(Schema<?> property) {
            if (property.get$ref() != null) {
                return new JsonSchema().anyOf(List.of(property, new JsonSchema().types(Set.of("null"))));
            }
            if (property.getTypes() != null && !property.getTypes().isEmpty()) {
                Set<String> types = new LinkedHashSet<>(property.getTypes());
                types.add("null");
                property.setTypes(types);
            }
            return property;
        }
    }
}
