package dev.replcert.refdriver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replcert.refdriver.Defect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The committed catalog file is what the harness's own tests read: it must say exactly what the
 * enum says. {@code -Dreplcert.regenerateDefects=true} rewrites it.
 */
class DefectCatalogTest {

  private static final Path COMMITTED = Path.of("src/main/resources").resolve(DefectCatalog.RESOURCE);
  private static final String REGENERATE =
      "./mvnw -o -pl reference-orchestrator/driver test -Dtest=DefectCatalogTest -Dreplcert.regenerateDefects=true";

  @Test
  void committedCatalogIsInStepWithTheEnum() throws IOException {
    if (Boolean.getBoolean("replcert.regenerateDefects")) {
      Files.writeString(COMMITTED, DefectCatalog.json(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
        .as("%s is out of step with enum Defect; regenerate it with:%n  %s", COMMITTED, REGENERATE)
        .isEqualTo(DefectCatalog.json());
  }

  @Test
  void catalogOnTheClasspathListsEveryDefectWithDescriptionAndRule() throws IOException {
    List<DefectCatalog.Entry> entries;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(DefectCatalog.RESOURCE)) {
      assertThat(in).as(DefectCatalog.RESOURCE + " on the classpath").isNotNull();
      entries = new ObjectMapper().readValue(in, new TypeReference<List<DefectCatalog.Entry>>() {});
    }
    Set<String> ids = entries.stream().map(DefectCatalog.Entry::id).collect(Collectors.toSet());
    assertThat(ids).hasSize(Defect.values().length).hasSizeGreaterThanOrEqualTo(20);
    assertThat(entries).allSatisfy(e -> assertThat(e.description()).isNotBlank()).allSatisfy(e -> assertThat(e.rule()).isNotBlank());
  }
}
