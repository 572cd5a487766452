package io.switchboard.gateway.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenServiceTest
{
    private static final String SECRET = "a-secret-of-sufficient-length!";
    private final TokenService tokens = new TokenService(SECRET);

    @Test
    void shouldVerifyTokensItIssued()
    {
        final Principal principal = tokens.verify(tokens.issue("alice", List.of("general", "random"), 60));
        assertThat(principal.user()).isEqualTo("alice");
        assertThat(principal.channels()).containsExactlyInAnyOrder("general", "random");
    }

    @Test
    void shouldRefuseExpiredForgedMalformedAndIncompleteTokens()
    {
        final String expired = JWT.create().withSubject("a").withExpiresAt(Instant.now().minusSeconds(30))
            .sign(Algorithm.HMAC256(SECRET));
        final String forged = JWT.create().withSubject("a").withExpiresAt(Instant.now().plusSeconds(30))
            .sign(Algorithm.HMAC256("some-other-secret-entirely"));
        final String noExpiry = JWT.create().withSubject("a").sign(Algorithm.HMAC256(SECRET));
        final String noSubject = JWT.create().withExpiresAt(Instant.now().plusSeconds(30))
            .sign(Algorithm.HMAC256(SECRET));
        final String badChannels = JWT.create().withSubject("a").withExpiresAt(Instant.now().plusSeconds(30))
            .withClaim("channels", "general").sign(Algorithm.HMAC256(SECRET));
        final String unsigned = JWT.create().withSubject("a").withExpiresAt(Instant.now().plusSeconds(30))
            .sign(Algorithm.none());

        assertRefused(expired, "expired");
        assertRefused(forged, "invalid");
        assertRefused(noExpiry, "exp");
        assertRefused(noSubject, "sub");
        assertRefused(badChannels, "channels");
        assertRefused(unsigned, "invalid");
        assertRefused("garbage", "invalid");
        assertRefused(null, "missing");
    }

    @Test
    void shouldAllowNoChannelsClaim()
    {
        final String token = JWT.create().withSubject("bob").withExpiresAt(Instant.now().plusSeconds(30))
            .sign(Algorithm.HMAC256(SECRET));
        assertThat(tokens.verify(token).channels()).isEqualTo(Set.of());
    }

    private void assertRefused(final String token, final String reason)
    {
        assertThatThrownBy(() -> tokens.verify(token))
            .isInstanceOf(TokenService.InvalidTokenException.class)
            .hasMessageContaining(reason);
    }
}
