package dev.replcert.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportRendererTest {

  private final String html = new HtmlReportRenderer().render(SampleReports.sample());

  @Test
  void pageIsSelfContained() {
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>");
    assertThat(
            Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html).find())
        .as("no external src/href")
        .isFalse();
    assertThat(html)
        .doesNotContainIgnoringCase("<link")
        .doesNotContainIgnoringCase("@import")
        .doesNotContainIgnoringCase("url(")
        .doesNotContainIgnoringCase("<img");
  }

  @Test
  void needsNoScript() {
    assertThat(html).doesNotContainIgnoringCase("<script");
  }

  @Test
  void dynamicTextIsEscaped() {
    assertThat(html)
        .doesNotContain("<script>alert")
        .contains("fails over &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; back")
        .doesNotContain("</pre><script>evil()")
        .contains("-&gt; OK &lt;/pre&gt;&lt;script&gt;evil()&lt;/script&gt;");
  }

  @Test
  void bannerCarriesVerdictColourAndReasons() {
    assertThat(html)
        .contains("<header class=\"banner certified-with-warnings\">")
        .contains("<h1>CERTIFIED WITH WARNINGS</h1>")
        .contains("SHOULD item L1-REP-002");
  }

  @Test
  void showsIdentityMatrixEvidenceSkipsAndAttachments() {
    assertThat(html)
        .contains("reference.replcert.dev 0.1.0")
        .contains("<th>Declared</th><th>Tested (plan items)</th><th>Verdict</th>")
        .contains("rpo.records = 0 records")
        .contains("rto = 4.207 s")
        .contains("the profile does not claim volume-group")
        .contains("skipped by capability")
        .contains("expected data on west, found gap at record 42")
        .contains("<details><summary>grpc-calls.log");
  }

  @Test
  void coverageIsOutsideTheVerdict() {
    int banner = html.indexOf("</header>");
    int coverage = html.indexOf("harness coverage: 4 of 5 plan items implemented");
    assertThat(coverage).isGreaterThan(banner);
    assertThat(html.substring(0, banner)).doesNotContain("harness coverage");
    assertThat(html).contains("not part of the verdict");
  }

  @Test
  void showsTheRedactedConfigAsIs() {
    assertThat(html).contains("&quot;secretKey&quot; : &quot;&lt;redacted&gt;&quot;");
  }
}
