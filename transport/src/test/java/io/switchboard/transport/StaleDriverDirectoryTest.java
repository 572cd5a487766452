package io.switchboard.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start removes driver directories left by processes that are gone, and nothing else: not a live process's, not
 * a live driver's, not other names.
 */
class StaleDriverDirectoryTest
{
    @TempDir
    Path parent;

    @Test
    void shouldRemoveOnlyDirectoriesOfGoneProcessesWithoutALiveDriver() throws Exception
    {
        final long gonePid = exitedProcessPid();
        final File stale = directory("switchboard-node-1-" + gonePid);
        Files.writeString(stale.toPath().resolve("cnc.dat"), "not a driver");
        Files.createDirectories(stale.toPath().resolve("publications"));
        final File ours = directory("switchboard-node-2-" + ProcessHandle.current().pid());
        final File otherName = directory("aeron-root-" + gonePid);
        final File plainFile = parent.resolve("switchboard-file-" + gonePid).toFile();
        Files.writeString(plainFile.toPath(), "x");

        assertThat(EmbeddedDriver.removeStaleDirectories(parent.toFile())).isEqualTo(1);
        assertThat(stale).doesNotExist();
        assertThat(ours).isDirectory();
        assertThat(otherName).isDirectory();
        assertThat(plainFile).isFile();
    }

    @Test
    void shouldKeepTheDirectoryOfARunningDriverWhateverItsName() throws Exception
    {
        final long gonePid = exitedProcessPid();
        // A live driver in a directory whose pid is not ours (as in another pid namespace sharing /dev/shm).
        final NodeContext context = new NodeContext().nodeId(5).nodeName("live").driverDir(
            parent.resolve("switchboard-live-" + gonePid).toString());
        context.conclude();
        try (EmbeddedDriver driver = EmbeddedDriver.launch(context))
        {
            assertThat(EmbeddedDriver.removeStaleDirectories(parent.toFile())).isZero();
            assertThat(new File(driver.aeronDirectoryName())).isDirectory();
        }
    }

    private File directory(final String name) throws IOException
    {
        return Files.createDirectories(parent.resolve(name)).toFile();
    }

    private static long exitedProcessPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        return process.pid();
    }
}
