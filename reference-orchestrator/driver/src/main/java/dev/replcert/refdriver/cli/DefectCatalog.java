package dev.replcert.refdriver.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replcert.refdriver.Defect;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The defect catalog as data: a JSON array of {@code {"id", "description", "rule"}} in enum order.
 * The same text is committed as {@value #RESOURCE} (a unit test keeps it in step with {@link
 * Defect}) and printed by {@code replcert-refdriver defects --json}.
 */
public final class DefectCatalog {

  /** Classpath location of the committed catalog. */
  public static final String RESOURCE = "META-INF/replcert/defects.json";

  /** One catalog entry. */
  public record Entry(String id, String description, String rule) {}

  private DefectCatalog() {}

  public static List<Entry> entries() {
    return Arrays.stream(Defect.values()).map(d -> new Entry(d.name(), d.description(), d.rule())).toList();
  }

  /** The catalog as the committed file holds it (two-space indent, trailing newline). */
  public static String json() {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    try {
      return new ObjectMapper().writer(printer).writeValueAsString(entries()) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
