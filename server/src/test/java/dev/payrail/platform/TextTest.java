package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void ordinaryTextIncludingEmojiAndLineBreaksIsStorable() {
        assertThat(Text.isStorable("order 42 — ünïcödé 💸\n\tsecond line")).isTrue();
    }

    @Test
    void nulOtherControlsAndLoneSurrogatesAreNot() {
        assertThat(Text.isStorable("a\u0000b")).isFalse();
        assertThat(Text.isStorable("bell\u0007")).isFalse();
        assertThat(Text.isStorable("half \ud83d")).isFalse();
        assertThat(Text.isStorable("\udcb8 reversed")).isFalse();
    }
}
