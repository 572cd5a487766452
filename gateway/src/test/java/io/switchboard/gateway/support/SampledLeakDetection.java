package io.switchboard.gateway.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class pushing many frames through the gateway: {@link NettyLeakCheck} samples buffers for it (Netty's
 * {@code ADVANCED} level) instead of tracking every one ({@code PARANOID}, which records a stack trace on every
 * buffer access and slows the gateway about tenfold). A leak on a per-message path is still sampled hundreds of
 * times and fails the class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SampledLeakDetection
{
}
