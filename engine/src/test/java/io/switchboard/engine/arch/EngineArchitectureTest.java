package io.switchboard.engine.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The engine is pure logic: it must run, and be tested, with no network, no Aeron and no Netty. Transport, gateway
 * and server are later in the dependency chain and must never be reached from here.
 */
class EngineArchitectureTest
{
    private static final JavaClasses ENGINE = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.switchboard.engine");

    @Test
    void shouldNotUseAeronNettyOrSockets()
    {
        noClasses().that().resideInAPackage("io.switchboard.engine..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "io.aeron..", "io.netty..", "java.net..", "java.nio.channels..", "sun.nio.ch..")
            .check(ENGINE);
    }

    @Test
    void shouldNotDependOnLaterModules()
    {
        noClasses().that().resideInAPackage("io.switchboard.engine..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "io.switchboard.transport..", "io.switchboard.gateway..", "io.switchboard.server..",
                "io.switchboard.bench..")
            .check(ENGINE);
    }
}
