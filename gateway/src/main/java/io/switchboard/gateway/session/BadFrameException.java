package io.switchboard.gateway.session;

/**
 * A client frame that cannot be served; becomes an {@code error} frame and the connection lives on. Carries no
 * stack trace: clients can make many of these.
 */
public final class BadFrameException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String ref;

    /**
     * @param code    client protocol error code.
     * @param message for the client.
     * @param ref     the request's ref as JSON text, or null.
     */
    public BadFrameException(final String code, final String message, final String ref)
    {
        super(message, null, false, false);
        this.code = code;
        this.ref = ref;
    }

    /** @return the error code. */
    public String code()
    {
        return code;
    }

    /** @return the ref as JSON text, or null. */
    public String ref()
    {
        return ref;
    }
}
