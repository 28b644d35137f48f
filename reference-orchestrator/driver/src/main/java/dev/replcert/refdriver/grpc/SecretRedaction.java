package dev.replcert.refdriver.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.replcert.api.csi.v1.CsiProto;
import java.util.List;
import java.util.Map;

/**
 * Copies of messages fit to log: every field marked {@code (csi.v1.csi_secret) = true} is cleared,
 * at any depth. The mark is a descriptor option, so this covers CSI and csi-addons messages alike
 * without a list of field names to keep in step.
 */
public final class SecretRedaction {

  private SecretRedaction() {}

  public static Message redact(Message message) {
    Message.Builder copy = message.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      if (descriptor.getOptions().getExtension(CsiProto.csiSecret)) {
        copy.clearField(descriptor);
      } else if (descriptor.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !descriptor.isMapField()) {
        if (descriptor.isRepeated()) {
          List<?> items = (List<?>) field.getValue();
          for (int i = 0; i < items.size(); i++) {
            copy.setRepeatedField(descriptor, i, redact((Message) items.get(i)));
          }
        } else {
          copy.setField(descriptor, redact((Message) field.getValue()));
        }
      }
    }
    return copy.build();
  }
}
