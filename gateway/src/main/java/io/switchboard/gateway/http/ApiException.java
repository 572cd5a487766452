package io.switchboard.gateway.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * An HTTP API request that cannot be served: its status, error code and a message for the caller.
 */
final class ApiException extends Exception
{
    private static final long serialVersionUID = 1L;

    final transient HttpResponseStatus status;
    final String code;

    ApiException(final HttpResponseStatus status, final String code, final String message)
    {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }
}
