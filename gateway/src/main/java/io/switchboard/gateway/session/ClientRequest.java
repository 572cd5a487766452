package io.switchboard.gateway.session;

import io.switchboard.codecs.PresenceStatus;
import io.switchboard.gateway.core.GatewayCore;
import io.switchboard.gateway.core.GatewaySession;

import java.util.List;

/**
 * One validated client request (DESIGN.md, "Client protocol"), applied to the gateway core on its thread. Refs are
 * kept as JSON text so the reply echoes exactly what the client sent.
 */
public interface ClientRequest
{
    /**
     * @param core    the gateway core, on its thread.
     * @param session the session that sent the request.
     */
    void applyTo(GatewayCore core, GatewaySession session);

    /** @param channels to subscribe. @param ref the ref as JSON text or null. */
    record Subscribe(List<String> channels, String ref) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
            core.subscribe(session, channels, ref);
        }
    }

    /** @param channels to unsubscribe. */
    record Unsubscribe(List<String> channels) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
            core.unsubscribe(session, channels);
        }
    }

    /** @param channel where. @param id client's message id or null. @param data JSON. @param ref the ref. */
    record Publish(String channel, String id, byte[] data, String ref) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
            core.publish(session, channel, id, data, ref);
        }
    }

    /** @param channel where the user is typing. @param ref the ref. */
    record Typing(String channel, String ref) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
            core.typing(session, channel, ref);
        }
    }

    /** @param channel where. @param event name. @param data JSON. @param ttlMs 0 for default. @param ref the ref. */
    record Transient(String channel, String event, byte[] data, int ttlMs, String ref) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
            core.sendTransient(session, channel, event, data, ttlMs, ref);
        }
    }

    /** @param channel where. @param target message id. @param emoji which. @param ref the ref. */
    record React(String channel, String target, String emoji, String ref) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
            core.react(session, channel, target, emoji, ref);
        }
    }

    /** @param users the whole viewport. */
    record Watch(List<String> users) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
            core.watch(session, users);
        }
    }

    /** @param users whose status. @param ref the ref. */
    record Query(List<String> users, String ref) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
            core.query(session, users, ref);
        }
    }

    /** @param status ONLINE or AWAY. */
    record SetStatus(PresenceStatus status) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
            core.setStatus(session, status);
        }
    }

    /** @param channel which. @param since last seq. @param epoch of since. @param limit most. @param ref the ref. */
    record History(String channel, long since, long epoch, int limit, String ref) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
            core.history(session, channel, since, epoch, limit, ref);
        }
    }

    /** @param ref the ref. Answered on the event loop, never reaches the core. */
    record Ping(String ref) implements ClientRequest
    {
        /** {@inheritDoc} */
        public void applyTo(final GatewayCore core, final GatewaySession session)
        {
        }
    }
}
