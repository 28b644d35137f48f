package dev.replcert.reports;

import java.util.List;

/**
 * How much of the plan the harness itself implements: plan items with at least one test result in
 * this run, out of all plan items. A statement about replcert, not about the driver; it never
 * enters the verdict.
 */
public record Coverage(int implemented, int planned, List<Layer> layers) {

  public Coverage {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  public record Layer(int layer, int implemented, int planned) {}

  /** The sentence the report and the console print. */
  public String sentence() {
    return "harness coverage: " + implemented + " of " + planned + " plan items implemented";
  }
}
