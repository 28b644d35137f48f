package dev.replcert.refdriver.site;

/**
 * A volume published to a node: the handle the DataPath service accepts.
 *
 * @param handle opaque token, also written at the target path by NodePublishVolume
 * @param readOnly whether writes through this handle are refused from the start
 */
public record Publication(String handle, String volumeId, String nodeId, String targetPath, boolean readOnly) {}
