package dev.payrail.platform;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/**
 * Time-ordered UUIDv7 ids (RFC 9562) from java-uuid-generator: they sort by creation time, so the newest-first
 * payment listing and B-tree inserts stay cheap, and they carry no guessable sequence.
 */
public final class Ids {

    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private Ids() {}

    public static UUID next() {
        return GENERATOR.generate();
    }
}
