package io.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Errors are summarised by kind: the same error about different channels or users is one kind.
 */
class LoadStatsTest
{
    @Test
    void shouldGroupErrorFramesByCodeAndMessage()
    {
        final LoadStats stats = new LoadStats();
        stats.onError("u1: {\"type\":\"error\",\"code\":\"unavailable\",\"message\":\"no answer in time\"," +
            "\"ref\":null,\"channel\":\"d1-2\"}");
        stats.onError("u7: {\"type\":\"error\",\"code\":\"unavailable\",\"message\":\"no answer in time\"," +
            "\"ref\":3,\"channel\":\"d7-9\"}");
        stats.onError("u9: {\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"too many frames\"}");
        stats.onError("u4: closed 1001 idle timeout");

        assertThat(stats.errors.sum()).isEqualTo(4);
        assertThat(stats.errorsByKind()).containsOnly(
            entry("unavailable: no answer in time", 2L),
            entry("rate_limited: too many frames", 1L),
            entry("closed 1001 idle timeout", 1L));
        assertThat(stats.errorsByKind().keySet().iterator().next()).as("most frequent first")
            .isEqualTo("unavailable: no answer in time");
    }
}
