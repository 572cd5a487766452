package io.switchboard.gateway.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.switchboard.gateway.json.Names;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * HS256 client tokens: {@code sub} is the user, {@code exp} the expiry, {@code channels} the allowed channels.
 * Verification is done by java-jwt, which checks the signature, the algorithm and the expiry.
 * <p>
 * Thread-safe: the verifier is immutable.
 */
public final class TokenService
{
    /** Claim listing the allowed channels. */
    public static final String CHANNELS_CLAIM = "channels";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;

    /**
     * @param secret shared HS256 secret.
     */
    public TokenService(final String secret)
    {
        this.algorithm = Algorithm.HMAC256(secret);
        this.verifier = JWT.require(algorithm).acceptLeeway(1).build();
    }

    /**
     * @param token compact JWT, may be null.
     * @return the principal it names.
     * @throws InvalidTokenException for a missing, forged, malformed or expired token, saying which.
     */
    public Principal verify(final String token)
    {
        if (null == token || token.isBlank())
        {
            throw new InvalidTokenException("missing token: connect with ?token=<jwt>");
        }
        final DecodedJWT jwt;
        try
        {
            jwt = verifier.verify(token);
        }
        catch (final TokenExpiredException ex)
        {
            throw new InvalidTokenException("token expired");
        }
        catch (final JWTVerificationException ex)
        {
            throw new InvalidTokenException("invalid token");
        }

        final String user = jwt.getSubject();
        if (!Names.isValid(user))
        {
            throw new InvalidTokenException("token has no valid sub (user)");
        }
        if (null == jwt.getExpiresAtAsInstant())
        {
            throw new InvalidTokenException("token has no exp");
        }
        return new Principal(user, channelsOf(jwt.getClaim(CHANNELS_CLAIM)));
    }

    /**
     * @param user       the user.
     * @param channels   allowed channels.
     * @param ttlSeconds lifetime.
     * @return a signed token.
     */
    public String issue(final String user, final Collection<String> channels, final long ttlSeconds)
    {
        return JWT.create()
            .withSubject(user)
            .withIssuedAt(Instant.now())
            .withExpiresAt(Instant.now().plusSeconds(ttlSeconds))
            .withClaim(CHANNELS_CLAIM, List.copyOf(channels))
            .sign(algorithm);
    }

    private static Set<String> channelsOf(final Claim claim)
    {
        final Set<String> channels = new HashSet<>();
        if (claim.isMissing() || claim.isNull())
        {
            return channels;
        }
        final List<String> list;
        try
        {
            list = claim.asList(String.class);
        }
        catch (final RuntimeException ex)
        {
            throw new InvalidTokenException("claim channels must be a list of strings");
        }
        if (null == list)
        {
            throw new InvalidTokenException("claim channels must be a list of strings");
        }
        for (final String channel : list)
        {
            if (!Names.isValid(channel))
            {
                throw new InvalidTokenException("claim channels holds an invalid channel name");
            }
            channels.add(channel);
        }
        return channels;
    }

    /**
     * A token that must be refused; the message is safe to show the client.
     */
    public static final class InvalidTokenException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param message for the client.
         */
        public InvalidTokenException(final String message)
        {
            super(message, null, false, false);
        }
    }
}
