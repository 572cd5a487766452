package io.switchboard.gateway.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes a Netty leak fail the build: Netty only logs the leaks its detector finds, so this installs a detector
 * factory whose detectors record every report, and after each test class forces garbage collection, lets the
 * detectors look at what was collected, and fails the class if anything leaked. Registered for every gateway test
 * through {@code META-INF/services} (JUnit's extension auto-detection); surefire runs the tests with
 * {@code -Dio.netty.leakDetection.level=paranoid} so every buffer is tracked, except in classes marked
 * {@link SampledLeakDetection}.
 * <p>
 * The factory is installed when this class loads, which is before any test class touches Netty's buffers (their
 * detector is created once, in a static initialiser): {@link NettyLeakCheckTest} proves a leak is seen.
 * <p>
 * Thread-safe: detectors report from whichever thread allocates; the record is synchronised.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback
{
    private static final List<String> LEAKS = new ArrayList<>();
    private static final int GC_ROUNDS = 5;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NettyLeakCheck.class);

    static
    {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    /**
     * {@inheritDoc}
     */
    public void beforeAll(final ExtensionContext context)
    {
        if (context.getRequiredTestClass().isAnnotationPresent(SampledLeakDetection.class))
        {
            context.getStore(NAMESPACE).put(ResourceLeakDetector.Level.class, ResourceLeakDetector.getLevel());
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.ADVANCED);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void afterAll(final ExtensionContext context)
    {
        final ResourceLeakDetector.Level level =
            context.getStore(NAMESPACE).remove(ResourceLeakDetector.Level.class, ResourceLeakDetector.Level.class);
        if (null != level)
        {
            ResourceLeakDetector.setLevel(level);
        }
        final List<String> leaks = collect();
        if (!leaks.isEmpty())
        {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) after " +
                context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }

    /**
     * Force garbage collection, let the detectors poll what was collected, and take every leak reported so far.
     *
     * @return the leak reports, removed from the record.
     */
    public static List<String> collect()
    {
        for (int i = 0; i < GC_ROUNDS; i++)
        {
            System.gc();
            System.runFinalization();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            // Detectors look for collected resources only when a new one is tracked.
            poke();
        }
        synchronized (LEAKS)
        {
            final List<String> leaks = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return leaks;
        }
    }

    private static void poke()
    {
        final ByteBuf[] buffers = {
            PooledByteBufAllocator.DEFAULT.directBuffer(1),
            PooledByteBufAllocator.DEFAULT.heapBuffer(1),
            UnpooledByteBufAllocator.DEFAULT.directBuffer(1),
            UnpooledByteBufAllocator.DEFAULT.heapBuffer(1),
        };
        for (final ByteBuf buffer : buffers)
        {
            buffer.release();
        }
    }

    private static void record(final String report)
    {
        synchronized (LEAKS)
        {
            LEAKS.add(report);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory
    {
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
            final Class<T> resource, final int samplingInterval, final long maxActive)
        {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T>
    {
        RecordingDetector(final Class<T> resource, final int samplingInterval)
        {
            super(resource, samplingInterval);
        }

        protected boolean needReport()
        {
            return true;
        }

        protected void reportTracedLeak(final String resourceType, final String records)
        {
            record("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        protected void reportUntracedLeak(final String resourceType)
        {
            record("LEAK: " + resourceType + " (untraced: run with -Dio.netty.leakDetection.level=paranoid)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
