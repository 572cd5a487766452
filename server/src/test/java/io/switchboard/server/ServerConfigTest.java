package io.switchboard.server;

import io.switchboard.transport.NodeContext;
import io.switchboard.transport.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPreferFlagsOverEnvironmentOverFile() throws IOException
    {
        final Path file = dir.resolve("node.properties");
        Files.writeString(file, String.join("\n",
            "switchboard.node.id=3",
            "switchboard.region=file-region",
            "switchboard.roles=channel",
            "switchboard.channel.shards=4"));
        final Map<String, String> env = Map.of(
            "SWITCHBOARD_REGION", "env-region",
            "SWITCHBOARD_NODE_ID", "4",
            "SWITCHBOARD_LINK_RTTMS", "120",
            "SWITCHBOARD_JAVA_OPTS", "-Xmx1g"); // a script's variable, not a setting: ignored
        final Map<String, String> flags = new HashMap<>();
        flags.put(NodeContext.NODE_ID_PROP, "5");
        flags.put(NodeContext.PEERS_PROP, null);

        final ServerConfig config = ServerConfig.load(file, env, flags);
        final NodeContext context = config.toNodeContext().conclude();

        assertThat(context.nodeId()).isEqualTo(5);
        assertThat(context.region()).isEqualTo("env-region");
        assertThat(context.roles()).isEqualTo(EnumSet.of(Role.CHANNEL));
        assertThat(context.channelShards()).isEqualTo(4);
        assertThat(context.linkRttMs()).isEqualTo(120);
        assertThat(config.sourceOf(NodeContext.NODE_ID_PROP)).isEqualTo("flag");
        assertThat(config.sourceOf(NodeContext.REGION_PROP)).startsWith("environment");
        assertThat(config.sourceOf(NodeContext.CHANNEL_SHARDS_PROP)).startsWith("file");
    }

    @Test
    void shouldNameTheSettingAndItsSourceWhenAValueIsBad() throws IOException
    {
        final Path file = dir.resolve("bad.properties");
        Files.writeString(file, "switchboard.channel.shards=many\n");
        assertThatThrownBy(() -> ServerConfig.load(file, Map.of(), Map.of()).toNodeContext())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("switchboard.channel.shards")
            .hasMessageContaining("file")
            .hasMessageContaining("many");
    }

    @Test
    void shouldRefuseUnknownSettingsAndMissingFiles()
    {
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("switchboard.chanel.shards", "2"))
            .toNodeContext())
            .hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> ServerConfig.load(dir.resolve("missing.properties"), Map.of(), Map.of()))
            .hasMessageContaining("cannot read config file");
    }

    @Test
    void shouldValidateOnConclude()
    {
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("switchboard.peers",
            "1=channel@aeron:ipc")).toNodeContext().nodeId(1).conclude())
            .hasMessageContaining("own id");
    }
}
