package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.config.SecretValue;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** One site's S3: its bucket, its keys, and its objects across a stop and start. */
class LabS3ServerTest {

  @Test
  void servesItsBucketWithThisRunsKeysAndKeepsObjectsAcrossARestart(@TempDir Path dir) {
    try (LabS3Server s3 = LabS3Server.start("east", dir.resolve("s3"))) {
      S3Client client = s3.client();
      int port = s3.port();
      client.putObject(b -> b.bucket("replcert-east").key("drpc/app/vrg.json"), RequestBody.fromString("{\"v\":1}"));

      s3.stop();
      s3.start();

      assertThat(s3.port()).isEqualTo(port);
      assertThat(client.getObjectAsBytes(b -> b.bucket("replcert-east").key("drpc/app/vrg.json")).asUtf8String())
          .isEqualTo("{\"v\":1}");
      S3Profile profile = s3.profile();
      assertThat(profile.endpoint()).isEqualTo("http://127.0.0.1:" + port);
      assertThat(profile.bucket()).isEqualTo("replcert-east");
      assertThat(profile.region()).isEqualTo(S3Profile.DEFAULT_REGION);
      assertThat(profile.pathStyle()).isTrue();
      assertThat(profile.accessKeyId().reveal()).isNotBlank();
      assertThat(profile.secretAccessKey().reveal()).hasSizeGreaterThanOrEqualTo(40);
      assertThat(profile.toString()).doesNotContain(profile.secretAccessKey().reveal(), profile.accessKeyId().reveal());
      assertThat(s3.toString()).contains("replcert-east").doesNotContain(profile.secretAccessKey().reveal());
      assertThat(profile.secretAccessKey().toString()).isEqualTo(SecretValue.REDACTED);
    }
  }

  @Test
  void eachServerHasItsOwnKeys(@TempDir Path dir) {
    try (LabS3Server east = LabS3Server.start("east", dir.resolve("east"));
        LabS3Server west = LabS3Server.start("west", dir.resolve("west"))) {
      assertThat(east.profile().secretAccessKey().reveal())
          .isNotEqualTo(west.profile().secretAccessKey().reveal());
      assertThat(west.client().listBuckets().buckets()).extracting(b -> b.name()).containsExactly("replcert-west");
    }
  }
}
