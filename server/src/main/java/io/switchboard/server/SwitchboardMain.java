package io.switchboard.server;

/**
 * Placeholder entry point until the server lands.
 */
public final class SwitchboardMain
{
    private SwitchboardMain()
    {
    }

    /**
     * @param args ignored.
     */
    public static void main(final String[] args)
    {
        System.out.println("Switchboard: the server roles are not built yet.");
    }
}
