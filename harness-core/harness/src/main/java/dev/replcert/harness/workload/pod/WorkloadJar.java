package dev.replcert.harness.workload.pod;

import dev.replcert.harness.workload.WorkloadCommand;
import dev.replcert.harness.workload.WorkloadMain;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * The workload program as a jar, built at runtime from the harness's own classes: {@link
 * WorkloadMain} and every harness class it references, transitively. Only JDK classes may be
 * referenced beyond that (checked here, on every build), so any JRE 17 image runs it with {@code
 * java -cp /replcert/workload.jar}. The jar is byte-for-byte reproducible, so its SHA-256 names the
 * ConfigMap that carries it and one ConfigMap per namespace serves every pod of a harness version.
 */
public final class WorkloadJar {

  /** The ConfigMap's binaryData key, and the file name under {@link #MOUNT_DIR}. */
  public static final String KEY = "workload.jar";

  public static final String MOUNT_DIR = "/replcert";

  public static final String PATH = MOUNT_DIR + "/" + KEY;

  /** What every workload pod runs unless cert.yaml says otherwise. */
  public static final List<String> DEFAULT_LAUNCHER =
      List.of("java", "-cp", PATH, WorkloadCommand.MAIN_CLASS);

  private static final String OWN_PREFIX = "dev/replcert/";
  private static final String JDK_PREFIX = "java/";
  // 1980-01-01 plus a day: the earliest time a zip entry holds without extra fields
  private static final long FIXED_TIME = 315_619_200_000L;
  private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+);");

  private static volatile WorkloadJar built;

  private final byte[] bytes;
  private final String sha256;
  private final List<String> classes;

  private WorkloadJar(byte[] bytes, List<String> classes) {
    this.bytes = bytes;
    this.sha256 = sha256(bytes);
    this.classes = classes;
  }

  /** The jar of this harness build (built once per JVM). */
  public static WorkloadJar get() {
    WorkloadJar jar = built;
    if (jar == null) {
      synchronized (WorkloadJar.class) {
        if (built == null) {
          built = build(WorkloadMain.class);
        }
        jar = built;
      }
    }
    return jar;
  }

  /**
   * Builds a jar of {@code main} and the harness classes it needs.
   *
   * @throws IllegalStateException if any of them references a class that is neither the JDK's nor
   *     the harness's, naming both
   */
  static WorkloadJar build(Class<?> main) {
    ClassLoader loader = WorkloadJar.class.getClassLoader();
    Map<String, byte[]> found = new TreeMap<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(internalName(main));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (found.containsKey(name)) {
        continue;
      }
      byte[] classFile = read(loader, name);
      found.put(name, classFile);
      for (String ref : references(classFile)) {
        if (ref.startsWith(OWN_PREFIX)) {
          todo.add(ref);
        } else if (!ref.startsWith(JDK_PREFIX)) {
          throw new IllegalStateException(
              "the workload program must depend on the JDK alone, but "
                  + name.replace('/', '.')
                  + " references "
                  + ref.replace('/', '.'));
        }
      }
    }
    return new WorkloadJar(write(main, found), found.keySet().stream().toList());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public String sha256() {
    return sha256;
  }

  /** {@code replcert-workload-<first 12 hex digits of the SHA-256>}. */
  public String configMapName() {
    return "replcert-workload-" + sha256.substring(0, 12);
  }

  /** Internal names of the classes inside, sorted. */
  public List<String> classes() {
    return classes;
  }

  /**
   * Every class a class file names: its class constants (which include nested classes) and every
   * {@code L...;} in field and method descriptors, generic signatures and annotation types.
   */
  static Set<String> references(byte[] classFile) {
    Set<String> refs = new TreeSet<>();
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile))) {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IllegalArgumentException("not a class file");
      }
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] classNameIndex = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 7 -> classNameIndex[i] = in.readUnsignedShort();
          case 8, 16, 19, 20 -> in.readUnsignedShort();
          case 15 -> in.skipBytes(3);
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
        }
      }
      for (int i = 1; i < count; i++) {
        if (classNameIndex[i] != 0) {
          String name = utf8[classNameIndex[i]];
          if (name.startsWith("[")) {
            addDescriptorClasses(name, refs);
          } else {
            refs.add(name);
          }
        } else if (utf8[i] != null) {
          addDescriptorClasses(utf8[i], refs);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return refs;
  }

  private static void addDescriptorClasses(String text, Set<String> refs) {
    Matcher m = DESCRIPTOR_CLASS.matcher(text);
    while (m.find()) {
      refs.add(m.group(1));
    }
  }

  private static byte[] read(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name + ".class")) {
      if (in == null) {
        throw new IllegalStateException("class file of " + name.replace('/', '.') + " not found");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(Class<?> main, Map<String, byte[]> classes) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
    manifest.getMainAttributes().putValue("Created-By", "replcert WorkloadJar");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out)) {
      ZipEntry manifestEntry = new JarEntry("META-INF/MANIFEST.MF");
      manifestEntry.setTime(FIXED_TIME);
      jar.putNextEntry(manifestEntry);
      manifest.write(jar);
      jar.closeEntry();
      for (Map.Entry<String, byte[]> e : classes.entrySet()) {
        JarEntry entry = new JarEntry(e.getKey() + ".class");
        entry.setTime(FIXED_TIME);
        jar.putNextEntry(entry);
        jar.write(e.getValue());
        jar.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String internalName(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "WorkloadJar["
        + classes.size()
        + " classes, "
        + bytes.length
        + " bytes, sha256 "
        + sha256.substring(0, 12)
        + "]";
  }
}
