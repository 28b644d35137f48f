package dev.replcert.reports;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the run records under a repository root: {@code <module>/target/certification/
 * run-record.json}, nested modules included. Depth is bounded (a nested module's record sits five
 * levels down) and symlinks are not followed, so a link to a large tree cannot stall the build.
 */
final class RunRecordScanner {

  static final String FILE_NAME = "run-record.json";
  static final int MAX_DEPTH = 5;
  private static final Set<String> SKIPPED_DIRS = Set.of("node_modules", ".git");

  private RunRecordScanner() {}

  /** Matching files, sorted by path so the report does not depend on directory order. */
  static List<Path> scan(Path root) throws IOException {
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(
        root,
        EnumSet.noneOf(FileVisitOption.class),
        MAX_DEPTH,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            Path name = dir.getFileName();
            return name != null && !dir.equals(root) && SKIPPED_DIRS.contains(name.toString())
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && isRunRecord(file)) {
              found.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            // an unreadable directory could hide a record: say so rather than under-report
            throw e;
          }
        });
    found.sort(null);
    return found;
  }

  private static boolean isRunRecord(Path file) {
    Path dir = file.getParent();
    Path target = dir == null ? null : dir.getParent();
    return file.getFileName().toString().equals(FILE_NAME)
        && dir.getFileName().toString().equals("certification")
        && target != null
        && target.getFileName() != null
        && target.getFileName().toString().equals("target");
  }
}
