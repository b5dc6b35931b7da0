package dev.payrail.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The JSON body a write route reads, for the OpenAPI description: {@link OpenApiConfig} states it as the route's
 * required {@code application/json} request body. Routes read their body as a tree ({@code JsonNode}) to refuse
 * duplicate or unknown fields with a stable code, so springdoc cannot see the body's shape by itself; this names
 * the record that documents it, in one word instead of swagger's three nested annotations.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface JsonBody {

    /** The record describing the body's fields. */
    Class<?> value();
}
