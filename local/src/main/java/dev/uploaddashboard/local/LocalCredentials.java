package dev.uploaddashboard.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The access key the local S3 (and the clients of the local emulators) sign with. The secret is
 * generated per data directory and kept in {@value #FILE_NAME} there, readable by its owner only,
 * so it survives restarts (the AWS CLI keeps working) but is nobody else's to know; an in-memory
 * run gets a new one on every start. A fixed, published secret would let any page or program on the
 * machine sign requests to the local S3.
 */
public record LocalCredentials(String accessKeyId, String secretAccessKey)
    implements AwsCredentials {

  /** The access key id: not a secret (s3proxy needs one; DynamoDB emulators accept any). */
  public static final String ACCESS_KEY_ID = "localmode";

  public static final String FILE_NAME = "s3-secret-access-key";

  static final int SECRET_LENGTH = 40;

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9]{" + SECRET_LENGTH + "}");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The secret kept in {@code dataDirectory}, made on first use; without one, a new one. */
  public static LocalCredentials loadOrCreate(Optional<Path> dataDirectory) throws IOException {
    if (dataDirectory.isEmpty()) {
      return new LocalCredentials(ACCESS_KEY_ID, newSecret());
    }
    Path file = dataDirectory.get().resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      writeOwnerOnly(file, newSecret() + "\n");
    } else if (posix(file)) {
      // Tighten a copy made with a permissive umask (cp, an archive, an editor).
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
    String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (!SECRET.matcher(secret).matches()) {
      throw new IOException(
          file + " does not hold a local S3 secret; delete it to have a new one made");
    }
    return new LocalCredentials(ACCESS_KEY_ID, secret);
  }

  private static String newSecret() {
    return RANDOM
        .ints(SECRET_LENGTH, 0, ALPHABET.length())
        .mapToObj(i -> String.valueOf(ALPHABET.charAt(i)))
        .collect(Collectors.joining());
  }

  /** Writes {@code file} owner-only from the start (no window for others): made beside, moved. */
  public static void writeOwnerOnly(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    // On a POSIX file system the JDK creates temporary files rw------- (owner-only).
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  @Override
  public String toString() {
    return "LocalCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<hidden>]";
  }
}
