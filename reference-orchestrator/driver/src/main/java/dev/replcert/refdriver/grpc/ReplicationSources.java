package dev.replcert.refdriver.grpc;

import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.site.Target;
import io.grpc.Status;

/** replication_source (volume or volume group) to an engine {@link Target}. */
final class ReplicationSources {

  private ReplicationSources() {}

  static Target target(Facade facade, boolean present, ReplicationSource source) {
    if (!present || source.getTypeCase() == ReplicationSource.TypeCase.TYPE_NOT_SET) {
      throw missing(facade, "replication_source is required");
    }
    return switch (source.getTypeCase()) {
      case VOLUME -> Target.volume(nonEmpty(facade, source.getVolume().getVolumeId(), "replication_source.volume.volume_id"));
      case VOLUMEGROUP ->
          Target.group(
              nonEmpty(facade, source.getVolumegroup().getVolumeGroupId(), "replication_source.volumegroup.volume_group_id"));
      case TYPE_NOT_SET -> throw missing(facade, "replication_source is required");
    };
  }

  private static String nonEmpty(Facade facade, String id, String field) {
    if (id.isEmpty()) {
      throw missing(facade, field + " is required");
    }
    return id;
  }

  private static RuntimeException missing(Facade facade, String message) {
    if (facade.has(Defect.WRONG_CODE_MISSING_SOURCE)) {
      // the defect: the right message under the wrong code, as a careless driver would answer.
      // ErrorCode has no UNKNOWN (the engine never means it), so the status is built here.
      return Status.UNKNOWN.withDescription(message).asRuntimeException();
    }
    return new DriverException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
