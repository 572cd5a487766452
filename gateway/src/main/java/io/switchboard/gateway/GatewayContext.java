package io.switchboard.gateway;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Configuration of a gateway (WebSocket endpoint and HTTP server API), Aeron style: a property name, a default from
 * the system properties and a fluent setter per setting; {@link #conclude()} validates them all once and generates
 * the API key and JWT secret of dev mode when none is given.
 * <p>
 * Not thread-safe: configure on one thread, then hand to {@link Gateway#launch}.
 */
public final class GatewayContext
{
    /** Bind address; dev mode binds loopback only. */
    public static final String HTTP_HOST_PROP = "switchboard.http.host";
    /** Port shared by the WebSocket endpoint, the HTTP API and the demo page; 0 picks a free one. */
    public static final String HTTP_PORT_PROP = "switchboard.http.port";
    /** Netty event loop threads; 0 for Netty's default (twice the cores). */
    public static final String HTTP_THREADS_PROP = "switchboard.http.threads";
    /** Socket transport of the event loops: auto, io_uring, epoll or nio. */
    public static final String HTTP_TRANSPORT_PROP = "switchboard.http.transport";
    /** API key of the HTTP server API ({@code Authorization: Bearer <key>}); generated when absent. */
    public static final String API_KEY_PROP = "switchboard.api.key";
    /** HS256 secret of client tokens; generated in dev mode when absent, required otherwise. */
    public static final String JWT_SECRET_PROP = "switchboard.jwt.secret";
    /** Dev mode: POST /api/tokens issues tokens. */
    public static final String DEV_MODE_PROP = "switchboard.dev";
    /** Integrator URL the gateway POSTs {user} to on connect, answered with {channels}; none by default. */
    public static final String CONNECT_PROXY_URL_PROP = "switchboard.connect.proxyUrl";
    /** How long the connect proxy may take. */
    public static final String CONNECT_PROXY_TIMEOUT_MS_PROP = "switchboard.connect.timeoutMs";
    /** WebSocket URL of another gateway that drained sessions are sent to. */
    public static final String DRAIN_URL_PROP = "switchboard.gateway.drainUrl";
    /** Sessions are told to reconnect after a random delay up to this. */
    public static final String DRAIN_RECONNECT_MS_PROP = "switchboard.drain.reconnectMs";
    /** Sessions still open this long after a drain are closed with 1001. */
    public static final String DRAIN_GRACE_MS_PROP = "switchboard.drain.graceMs";
    /** Largest WebSocket message a client may send; larger closes with 1009. */
    public static final String MAX_FRAME_BYTES_PROP = "switchboard.ws.maxFrameBytes";
    /** Frames per second a session may send on average (token bucket refill rate). */
    public static final String RATE_PER_SECOND_PROP = "switchboard.ws.ratePerSecond";
    /** Frames a session may send in a burst (token bucket size). */
    public static final String RATE_BURST_PROP = "switchboard.ws.rateBurst";
    /** Frames refused with rate_limited within one flood window that close the session with 4008. */
    public static final String FLOOD_REJECTIONS_PROP = "switchboard.ws.floodRejections";
    /** Window in which refused frames are counted towards a flood. */
    public static final String FLOOD_WINDOW_MS_PROP = "switchboard.ws.floodWindowMs";
    /** Bytes queued for a session past which it is a slow consumer and closed with 4013. */
    public static final String HIGH_WATER_MARK_PROP = "switchboard.ws.highWaterMarkBytes";
    /** How long a session may stay past the high-water mark before it is closed as a slow consumer. */
    public static final String SLOW_CONSUMER_GRACE_MS_PROP = "switchboard.ws.slowConsumerGraceMs";
    /** A session that sends nothing (not even a pong) for this long is closed. */
    public static final String IDLE_TIMEOUT_MS_PROP = "switchboard.ws.idleTimeoutMs";
    /** The server pings a session it has written nothing to for this long. */
    public static final String HEARTBEAT_MS_PROP = "switchboard.ws.heartbeatMs";
    /** Users one presence.watch or presence.query may name. */
    public static final String MAX_WATCH_USERS_PROP = "switchboard.presence.maxWatch";
    /** A session's presence.watch is applied at most this often; a newer one waiting replaces an older. */
    public static final String WATCH_INTERVAL_MS_PROP = "switchboard.presence.watchIntervalMs";
    /** Time to live of typing and other transient events. */
    public static final String TRANSIENT_TTL_MS_PROP = "switchboard.transient.ttlMs";
    /** Requests to hosts not answered within this fail with unavailable. */
    public static final String REQUEST_TIMEOUT_MS_PROP = "switchboard.request.timeoutMs";
    /** Channel subscriptions one gateway has in flight to hosts at once; more wait in order. */
    public static final String SUBSCRIBE_MAX_IN_FLIGHT_PROP = "switchboard.subscribe.maxInFlight";
    /** History requests one gateway has in flight to hosts at once; more wait in order. */
    public static final String HISTORY_MAX_IN_FLIGHT_PROP = "switchboard.history.maxInFlight";
    /** Lifetime of tokens issued by POST /api/tokens. */
    public static final String TOKEN_TTL_SECONDS_PROP = "switchboard.token.ttlSeconds";

    /** Most messages one history answer holds (the channel host clamps to the same). */
    public static final int MAX_HISTORY_LIMIT = 1000;

    private String httpHost = System.getProperty(HTTP_HOST_PROP, "127.0.0.1");
    private int httpPort = Integer.getInteger(HTTP_PORT_PROP, 8080);
    private int httpThreads = Integer.getInteger(HTTP_THREADS_PROP, 0);
    private String httpTransport = System.getProperty(HTTP_TRANSPORT_PROP, "auto");
    private String apiKey = System.getProperty(API_KEY_PROP);
    private String jwtSecret = System.getProperty(JWT_SECRET_PROP);
    private boolean devMode = Boolean.parseBoolean(System.getProperty(DEV_MODE_PROP, "true"));
    private String connectProxyUrl = System.getProperty(CONNECT_PROXY_URL_PROP);
    private long connectProxyTimeoutMs = Long.getLong(CONNECT_PROXY_TIMEOUT_MS_PROP, 2000);
    private String drainUrl = System.getProperty(DRAIN_URL_PROP);
    private long drainReconnectMs = Long.getLong(DRAIN_RECONNECT_MS_PROP, 1000);
    private long drainGraceMs = Long.getLong(DRAIN_GRACE_MS_PROP, 10_000);
    private int maxFrameBytes = Integer.getInteger(MAX_FRAME_BYTES_PROP, 64 * 1024);
    private int ratePerSecond = Integer.getInteger(RATE_PER_SECOND_PROP, 100);
    private int rateBurst = Integer.getInteger(RATE_BURST_PROP, 200);
    private int floodRejections = Integer.getInteger(FLOOD_REJECTIONS_PROP, 200);
    private long floodWindowMs = Long.getLong(FLOOD_WINDOW_MS_PROP, 10_000);
    private int highWaterMarkBytes = Integer.getInteger(HIGH_WATER_MARK_PROP, 1024 * 1024);
    private long slowConsumerGraceMs = Long.getLong(SLOW_CONSUMER_GRACE_MS_PROP, 1000);
    private long idleTimeoutMs = Long.getLong(IDLE_TIMEOUT_MS_PROP, 60_000);
    private long heartbeatMs = Long.getLong(HEARTBEAT_MS_PROP, 15_000);
    private int maxWatchUsers = Integer.getInteger(MAX_WATCH_USERS_PROP, 500);
    private int transientTtlMs = Integer.getInteger(TRANSIENT_TTL_MS_PROP, 5000);
    private long watchIntervalMs = Long.getLong(WATCH_INTERVAL_MS_PROP, 200);
    private long requestTimeoutMs = Long.getLong(REQUEST_TIMEOUT_MS_PROP, 5000);
    private long tokenTtlSeconds = Long.getLong(TOKEN_TTL_SECONDS_PROP, 86_400);
    private int historyMaxInFlight = Integer.getInteger(HISTORY_MAX_IN_FLIGHT_PROP, 4);
    private int subscribeMaxInFlight = Integer.getInteger(SUBSCRIBE_MAX_IN_FLIGHT_PROP, 2048);
    private boolean apiKeyGenerated;
    private boolean concluded;

    /**
     * Validate every setting once; generate an API key (and in dev mode a JWT secret) when none is given.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting and the bad value.
     */
    public GatewayContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        require(null != httpHost && !httpHost.isBlank(), HTTP_HOST_PROP + " must not be empty");
        require(httpPort >= 0 && httpPort <= 65535, HTTP_PORT_PROP + " must be in 0..65535: " + httpPort);
        require(httpThreads >= 0, HTTP_THREADS_PROP + " must be >= 0: " + httpThreads);
        try
        {
            GatewayTransport.select(httpTransport);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            throw new IllegalArgumentException(HTTP_TRANSPORT_PROP + ": " + ex.getMessage(), ex);
        }
        require(connectProxyTimeoutMs >= 1, CONNECT_PROXY_TIMEOUT_MS_PROP + " must be >= 1: " + connectProxyTimeoutMs);
        require(drainReconnectMs >= 0, DRAIN_RECONNECT_MS_PROP + " must be >= 0: " + drainReconnectMs);
        require(drainGraceMs >= 0, DRAIN_GRACE_MS_PROP + " must be >= 0: " + drainGraceMs);
        require(maxFrameBytes >= 1024 && maxFrameBytes <= 16 * 1024 * 1024,
            MAX_FRAME_BYTES_PROP + " must be in 1 KiB..16 MiB: " + maxFrameBytes);
        require(ratePerSecond >= 1, RATE_PER_SECOND_PROP + " must be >= 1: " + ratePerSecond);
        require(rateBurst >= 1, RATE_BURST_PROP + " must be >= 1: " + rateBurst);
        require(floodRejections >= 1, FLOOD_REJECTIONS_PROP + " must be >= 1: " + floodRejections);
        require(floodWindowMs >= 1, FLOOD_WINDOW_MS_PROP + " must be >= 1: " + floodWindowMs);
        require(highWaterMarkBytes >= 1024, HIGH_WATER_MARK_PROP + " must be >= 1024: " + highWaterMarkBytes);
        require(slowConsumerGraceMs >= 0, SLOW_CONSUMER_GRACE_MS_PROP + " must be >= 0: " + slowConsumerGraceMs);
        require(idleTimeoutMs >= 1, IDLE_TIMEOUT_MS_PROP + " must be >= 1: " + idleTimeoutMs);
        require(heartbeatMs >= 1 && heartbeatMs < idleTimeoutMs,
            HEARTBEAT_MS_PROP + " must be >= 1 and below " + IDLE_TIMEOUT_MS_PROP + ": " + heartbeatMs);
        require(maxWatchUsers >= 1 && maxWatchUsers <= 10_000,
            MAX_WATCH_USERS_PROP + " must be in 1..10000: " + maxWatchUsers);
        require(watchIntervalMs >= 0, WATCH_INTERVAL_MS_PROP + " must be >= 0: " + watchIntervalMs);
        require(transientTtlMs >= 1, TRANSIENT_TTL_MS_PROP + " must be >= 1: " + transientTtlMs);
        require(requestTimeoutMs >= 1, REQUEST_TIMEOUT_MS_PROP + " must be >= 1: " + requestTimeoutMs);
        require(historyMaxInFlight >= 1, HISTORY_MAX_IN_FLIGHT_PROP + " must be >= 1: " + historyMaxInFlight);
        require(subscribeMaxInFlight >= 1,
            SUBSCRIBE_MAX_IN_FLIGHT_PROP + " must be >= 1: " + subscribeMaxInFlight);
        require(tokenTtlSeconds >= 1, TOKEN_TTL_SECONDS_PROP + " must be >= 1: " + tokenTtlSeconds);
        if (null != connectProxyUrl)
        {
            requireHttpUrl(connectProxyUrl, CONNECT_PROXY_URL_PROP);
        }
        if (null != drainUrl)
        {
            require(drainUrl.startsWith("ws://") || drainUrl.startsWith("wss://"),
                DRAIN_URL_PROP + " must be a ws:// or wss:// URL: " + drainUrl);
        }
        if (null == apiKey || apiKey.isBlank())
        {
            apiKey = randomSecret(24);
            apiKeyGenerated = true;
        }
        if (null == jwtSecret || jwtSecret.isBlank())
        {
            require(devMode, JWT_SECRET_PROP + " is required outside dev mode (" + DEV_MODE_PROP + "=false)");
            jwtSecret = randomSecret(32);
        }
        require(jwtSecret.length() >= 16, JWT_SECRET_PROP + " must be at least 16 characters");
        concluded = true;
        return this;
    }

    private static void requireHttpUrl(final String url, final String prop)
    {
        try
        {
            final URI uri = URI.create(url);
            require("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()),
                prop + " must be an http:// or https:// URL: " + url);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(prop + " is not a URL: " + url, ex);
        }
    }

    private static String randomSecret(final int bytes)
    {
        final byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }

    /** @return true when {@link #conclude()} generated the API key (the server prints it). */
    public boolean apiKeyGenerated()
    {
        return apiKeyGenerated;
    }

    /** @return bind address. */
    public String httpHost()
    {
        return httpHost;
    }

    /** @param httpHost bind address. @return this. */
    public GatewayContext httpHost(final String httpHost)
    {
        this.httpHost = httpHost;
        return this;
    }

    /** @return port, 0 for any free one. */
    public int httpPort()
    {
        return httpPort;
    }

    /** @param httpPort port, 0 for any free one. @return this. */
    public GatewayContext httpPort(final int httpPort)
    {
        this.httpPort = httpPort;
        return this;
    }

    /** @return event loop threads, 0 for the default. */
    public int httpThreads()
    {
        return httpThreads;
    }

    /** @param httpThreads event loop threads, 0 for the default. @return this. */
    public GatewayContext httpThreads(final int httpThreads)
    {
        this.httpThreads = httpThreads;
        return this;
    }

    /** @return the event loops' socket transport: auto, io_uring, epoll or nio. */
    public String httpTransport()
    {
        return httpTransport;
    }

    /** @param httpTransport auto, io_uring, epoll or nio. @return this. */
    public GatewayContext httpTransport(final String httpTransport)
    {
        this.httpTransport = httpTransport;
        return this;
    }

    /** @return API key. */
    public String apiKey()
    {
        return apiKey;
    }

    /** @param apiKey of the HTTP server API. @return this. */
    public GatewayContext apiKey(final String apiKey)
    {
        this.apiKey = apiKey;
        return this;
    }

    /** @return HS256 secret of client tokens. */
    public String jwtSecret()
    {
        return jwtSecret;
    }

    /** @param jwtSecret HS256 secret of client tokens. @return this. */
    public GatewayContext jwtSecret(final String jwtSecret)
    {
        this.jwtSecret = jwtSecret;
        return this;
    }

    /** @return dev mode. */
    public boolean devMode()
    {
        return devMode;
    }

    /** @param devMode issue tokens through POST /api/tokens. @return this. */
    public GatewayContext devMode(final boolean devMode)
    {
        this.devMode = devMode;
        return this;
    }

    /** @return connect proxy URL or null. */
    public String connectProxyUrl()
    {
        return connectProxyUrl;
    }

    /** @param connectProxyUrl integrator URL resolving a user's channels, or null. @return this. */
    public GatewayContext connectProxyUrl(final String connectProxyUrl)
    {
        this.connectProxyUrl = connectProxyUrl;
        return this;
    }

    /** @return connect proxy timeout. */
    public long connectProxyTimeoutMs()
    {
        return connectProxyTimeoutMs;
    }

    /** @param connectProxyTimeoutMs how long the connect proxy may take. @return this. */
    public GatewayContext connectProxyTimeoutMs(final long connectProxyTimeoutMs)
    {
        this.connectProxyTimeoutMs = connectProxyTimeoutMs;
        return this;
    }

    /** @return URL of the gateway drained sessions move to, or null. */
    public String drainUrl()
    {
        return drainUrl;
    }

    /** @param drainUrl ws:// URL of another gateway. @return this. */
    public GatewayContext drainUrl(final String drainUrl)
    {
        this.drainUrl = drainUrl;
        return this;
    }

    /** @return upper bound of the reconnect delay given to drained sessions. */
    public long drainReconnectMs()
    {
        return drainReconnectMs;
    }

    /** @param drainReconnectMs upper bound of the reconnect delay. @return this. */
    public GatewayContext drainReconnectMs(final long drainReconnectMs)
    {
        this.drainReconnectMs = drainReconnectMs;
        return this;
    }

    /** @return drain grace period. */
    public long drainGraceMs()
    {
        return drainGraceMs;
    }

    /** @param drainGraceMs after which sessions still open are closed. @return this. */
    public GatewayContext drainGraceMs(final long drainGraceMs)
    {
        this.drainGraceMs = drainGraceMs;
        return this;
    }

    /** @return largest client message. */
    public int maxFrameBytes()
    {
        return maxFrameBytes;
    }

    /** @param maxFrameBytes largest client message. @return this. */
    public GatewayContext maxFrameBytes(final int maxFrameBytes)
    {
        this.maxFrameBytes = maxFrameBytes;
        return this;
    }

    /** @return average frames per second per session. */
    public int ratePerSecond()
    {
        return ratePerSecond;
    }

    /** @param ratePerSecond average frames per second per session. @return this. */
    public GatewayContext ratePerSecond(final int ratePerSecond)
    {
        this.ratePerSecond = ratePerSecond;
        return this;
    }

    /** @return burst of frames per session. */
    public int rateBurst()
    {
        return rateBurst;
    }

    /** @param rateBurst burst of frames per session. @return this. */
    public GatewayContext rateBurst(final int rateBurst)
    {
        this.rateBurst = rateBurst;
        return this;
    }

    /** @return refused frames per flood window that close a session. */
    public int floodRejections()
    {
        return floodRejections;
    }

    /** @param floodRejections refused frames per flood window that close a session. @return this. */
    public GatewayContext floodRejections(final int floodRejections)
    {
        this.floodRejections = floodRejections;
        return this;
    }

    /** @return flood window. */
    public long floodWindowMs()
    {
        return floodWindowMs;
    }

    /** @param floodWindowMs flood window. @return this. */
    public GatewayContext floodWindowMs(final long floodWindowMs)
    {
        this.floodWindowMs = floodWindowMs;
        return this;
    }

    /** @return outbound bytes past which a session is a slow consumer. */
    public int highWaterMarkBytes()
    {
        return highWaterMarkBytes;
    }

    /** @param highWaterMarkBytes outbound bytes past which a session is a slow consumer. @return this. */
    public GatewayContext highWaterMarkBytes(final int highWaterMarkBytes)
    {
        this.highWaterMarkBytes = highWaterMarkBytes;
        return this;
    }

    /**
     * @return how long a session may stay past the high-water mark (it keeps receiving meanwhile, up to four times
     * the mark) before it is closed as a slow consumer.
     */
    public long slowConsumerGraceMs()
    {
        return slowConsumerGraceMs;
    }

    /** @param slowConsumerGraceMs see {@link #slowConsumerGraceMs()}. @return this. */
    public GatewayContext slowConsumerGraceMs(final long slowConsumerGraceMs)
    {
        this.slowConsumerGraceMs = slowConsumerGraceMs;
        return this;
    }

    /** @return idle timeout. */
    public long idleTimeoutMs()
    {
        return idleTimeoutMs;
    }

    /** @param idleTimeoutMs a silent session is closed after this. @return this. */
    public GatewayContext idleTimeoutMs(final long idleTimeoutMs)
    {
        this.idleTimeoutMs = idleTimeoutMs;
        return this;
    }

    /** @return server heartbeat period. */
    public long heartbeatMs()
    {
        return heartbeatMs;
    }

    /** @param heartbeatMs server heartbeat period. @return this. */
    public GatewayContext heartbeatMs(final long heartbeatMs)
    {
        this.heartbeatMs = heartbeatMs;
        return this;
    }

    /** @return users per presence.watch or presence.query. */
    public int maxWatchUsers()
    {
        return maxWatchUsers;
    }

    /** @param maxWatchUsers users per presence.watch or presence.query. @return this. */
    public GatewayContext maxWatchUsers(final int maxWatchUsers)
    {
        this.maxWatchUsers = maxWatchUsers;
        return this;
    }

    /** @return TTL of transient events. */
    public int transientTtlMs()
    {
        return transientTtlMs;
    }

    /** @param transientTtlMs TTL of transient events. @return this. */
    public GatewayContext transientTtlMs(final int transientTtlMs)
    {
        this.transientTtlMs = transientTtlMs;
        return this;
    }

    /** @return request timeout. */
    public long requestTimeoutMs()
    {
        return requestTimeoutMs;
    }

    /** @param requestTimeoutMs requests to hosts fail after this. @return this. */
    public GatewayContext requestTimeoutMs(final long requestTimeoutMs)
    {
        this.requestTimeoutMs = requestTimeoutMs;
        return this;
    }

    /** @return lifetime of issued tokens. */
    public long tokenTtlSeconds()
    {
        return tokenTtlSeconds;
    }

    /** @param tokenTtlSeconds lifetime of issued tokens. @return this. */
    public GatewayContext tokenTtlSeconds(final long tokenTtlSeconds)
    {
        this.tokenTtlSeconds = tokenTtlSeconds;
        return this;
    }

    /** @return history requests in flight at once. */
    public int historyMaxInFlight()
    {
        return historyMaxInFlight;
    }

    /** @return channel subscriptions in flight to hosts at once. */
    public int subscribeMaxInFlight()
    {
        return subscribeMaxInFlight;
    }

    /** @param subscribeMaxInFlight channel subscriptions in flight at once. @return this. */
    public GatewayContext subscribeMaxInFlight(final int subscribeMaxInFlight)
    {
        this.subscribeMaxInFlight = subscribeMaxInFlight;
        return this;
    }

    /** @param historyMaxInFlight history requests in flight at once. @return this. */
    public GatewayContext historyMaxInFlight(final int historyMaxInFlight)
    {
        this.historyMaxInFlight = historyMaxInFlight;
        return this;
    }

    /** @return least time between two presence.watch applied for one session. */
    public long watchIntervalMs()
    {
        return watchIntervalMs;
    }

    /** @param watchIntervalMs least time between two presence.watch applied for one session. @return this. */
    public GatewayContext watchIntervalMs(final long watchIntervalMs)
    {
        this.watchIntervalMs = watchIntervalMs;
        return this;
    }
}
