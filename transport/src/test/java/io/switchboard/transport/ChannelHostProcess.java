package io.switchboard.transport;

import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;

/**
 * A channel host in its own JVM, for tests that need a real second process: args are node id and UDP port.
 * Prints READY when it listens; runs until killed or stdin closes.
 */
public final class ChannelHostProcess
{
    private ChannelHostProcess()
    {
    }

    /**
     * @param args node id, UDP port.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int nodeId = Integer.parseInt(args[0]);
        final int port = Integer.parseInt(args[1]);
        final SwitchboardNode node = SwitchboardNode.launch(new NodeContext()
            .nodeId(nodeId)
            .nodeName("channel-host-" + nodeId + "-" + ProcessHandle.current().pid())
            .roles(EnumSet.of(Role.CHANNEL))
            .listenChannel(TestSupport.udp(port)), new EngineWiring());
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            node.close();
            stopped.countDown();
        }));
        System.out.println("READY " + node.aeronDirectoryName());
        System.out.flush();
        while (System.in.read() != -1)
        {
            Thread.onSpinWait();
        }
        System.exit(0);
    }
}
