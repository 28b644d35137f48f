package dev.replcert.harness.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import dev.replcert.api.csi.v1.CsiProto;
import dev.replcert.harness.record.Redactor;
import java.util.List;

/**
 * Blanks every field the CSI / csi-addons protos mark {@code (csi.v1.csi_secret) = true}, at any
 * depth, so a request can be logged and attached to a report. Values only: the keys of a secrets
 * map stay visible (they say which secret was sent, not what it is).
 */
public final class SecretFields {

  private SecretFields() {}

  public static Message redact(Message message) {
    Message.Builder builder = message.toBuilder();
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      boolean secret = field.getOptions().getExtension(CsiProto.csiSecret);
      if (field.isRepeated()) {
        List<?> values = (List<?>) message.getField(field);
        builder.clearField(field);
        for (Object value : values) {
          builder.addRepeatedField(field, secret ? blankValue((Message) value) : redact((Message) value));
        }
      } else if (message.hasField(field)) {
        builder.setField(field, redact((Message) message.getField(field)));
      }
    }
    return builder.build();
  }

  /** A map entry (or any message) of a secret field: every string value becomes the mask. */
  private static Message blankValue(Message entry) {
    Message.Builder builder = entry.toBuilder();
    for (FieldDescriptor field : entry.getDescriptorForType().getFields()) {
      boolean isKey = entry instanceof MapEntry<?, ?> && field.getNumber() == 1;
      if (!isKey && field.getJavaType() == FieldDescriptor.JavaType.STRING && !field.isRepeated()) {
        builder.setField(field, Redactor.MASK);
      }
    }
    return builder.build();
  }
}
