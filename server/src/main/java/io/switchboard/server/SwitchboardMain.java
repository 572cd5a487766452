package io.switchboard.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The switchboard command line: {@code switchboard run} and friends.
 */
@Command(
    name = "switchboard",
    mixinStandardHelpOptions = true,
    version = "Switchboard 0.1.0",
    description = "Real-time messaging backend: gateways, channel hosts and presence hosts over Aeron.",
    subcommands = { RunCommand.class, StatCommand.class, CommandLine.HelpCommand.class })
public final class SwitchboardMain
{
    private SwitchboardMain()
    {
    }

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        final int exitCode = new CommandLine(new SwitchboardMain())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .execute(args);
        if (exitCode != 0)
        {
            System.exit(exitCode);
        }
    }
}
