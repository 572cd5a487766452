package io.switchboard.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the demo page and its files from the classpath folder {@code web/} (gateway/src/main/resources/web).
 * Paths are confined to that folder; files are read once and kept.
 * <p>
 * Thread-safe.
 */
public final class StaticFiles
{
    private static final String ROOT = "web/";
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "mjs", "text/javascript; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "json", "application/json; charset=utf-8",
        "svg", "image/svg+xml",
        "png", "image/png",
        "ico", "image/x-icon",
        "txt", "text/plain; charset=utf-8");

    private final Map<String, Optional<StaticFile>> cache = new ConcurrentHashMap<>();

    /**
     * @param path request path, e.g. "/" or "/app.js".
     * @return the file, or empty when there is none (or the path leaves the folder).
     */
    public Optional<StaticFile> find(final String path)
    {
        final String relative = "/".equals(path) ? "index.html" : path.startsWith("/") ? path.substring(1) : path;
        if (relative.isEmpty() || relative.contains("..") || relative.contains("\\") || relative.contains("//") ||
            relative.endsWith("/"))
        {
            return Optional.empty();
        }
        return cache.computeIfAbsent(relative, StaticFiles::load);
    }

    private static Optional<StaticFile> load(final String relative)
    {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(ROOT + relative))
        {
            if (null == in)
            {
                return Optional.empty();
            }
            final int dot = relative.lastIndexOf('.');
            final String type = TYPES.getOrDefault(dot < 0 ? "" : relative.substring(dot + 1),
                "application/octet-stream");
            return Optional.of(new StaticFile(in.readAllBytes(), type));
        }
        catch (final IOException ex)
        {
            return Optional.empty();
        }
    }

    /**
     * @param bytes       content.
     * @param contentType its type.
     */
    public record StaticFile(byte[] bytes, String contentType)
    {
    }
}
