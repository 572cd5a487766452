package io.switchboard.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * Dependencies point one way: codecs &lt;- engine &lt;- transport &lt;- gateway &lt;- server. The server module sees every
 * other module on its classpath, so this is where the whole chain can be checked at the class level.
 */
class ModuleLayeringTest
{
    private static final JavaClasses ALL = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.switchboard");

    @Test
    void shouldPointDependenciesOneWay()
    {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("codecs").definedBy("io.switchboard.codecs..")
            .layer("engine").definedBy("io.switchboard.engine..")
            .layer("transport").definedBy("io.switchboard.transport..")
            .layer("gateway").definedBy("io.switchboard.gateway..")
            .layer("server").definedBy("io.switchboard.server..")
            .whereLayer("server").mayNotBeAccessedByAnyLayer()
            .whereLayer("gateway").mayOnlyBeAccessedByLayers("server")
            .whereLayer("transport").mayOnlyBeAccessedByLayers("gateway", "server")
            .whereLayer("engine").mayOnlyBeAccessedByLayers("transport", "gateway", "server")
            .whereLayer("codecs").mayOnlyBeAccessedByLayers("engine", "transport", "gateway", "server")
            .check(ALL);
    }
}
