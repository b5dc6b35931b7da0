package dev.payrail.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A problem answer particular to one route, with its stable codes, for the OpenAPI description
 * ({@link OpenApiConfig} adds the ones every route shares). Unlike swagger's {@code @ApiResponse}, it leaves the
 * route's success answer as springdoc derives it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ProblemResponse.List.class)
public @interface ProblemResponse {

    /** The HTTP status, e.g. 409. */
    int status();

    /** The codes this route answers with that status. */
    String[] codes();

    /** What they mean, for people. */
    String description() default "Refused; nothing changed";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        ProblemResponse[] value();
    }
}
