package dev.uploaddashboard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCredentialsTest {

  @Test
  void eachDataDirectoryGetsItsOwnSecretKeptOwnerOnly(@TempDir Path temp) throws IOException {
    Path first = temp.resolve("first");
    Path second = temp.resolve("second");

    LocalCredentials one = LocalCredentials.loadOrCreate(Optional.of(first));
    LocalCredentials again = LocalCredentials.loadOrCreate(Optional.of(first));
    LocalCredentials other = LocalCredentials.loadOrCreate(Optional.of(second));

    assertThat(one.secretAccessKey())
        .matches("[A-Za-z0-9]{40}")
        .isNotEqualTo("localmodesecret")
        .isEqualTo(again.secretAccessKey())
        .isNotEqualTo(other.secretAccessKey());
    Path file = first.resolve(LocalCredentials.FILE_NAME);
    assertThat(Files.readString(file).strip()).isEqualTo(one.secretAccessKey());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(one.toString()).doesNotContain(one.secretAccessKey());
  }

  @Test
  void inMemoryRunsGetAFreshSecretEachTime() throws IOException {
    assertThat(LocalCredentials.loadOrCreate(Optional.empty()).secretAccessKey())
        .matches("[A-Za-z0-9]{40}")
        .isNotEqualTo(LocalCredentials.loadOrCreate(Optional.empty()).secretAccessKey());
  }

  @Test
  void aCopyReadableByOthersIsTightenedAndAMangledOneRefused(@TempDir Path data)
      throws IOException {
    String secret = LocalCredentials.loadOrCreate(Optional.of(data)).secretAccessKey();
    Path file = data.resolve(LocalCredentials.FILE_NAME);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(LocalCredentials.loadOrCreate(Optional.of(data)).secretAccessKey())
        .isEqualTo(secret);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    Files.writeString(file, "localmodesecret\n");
    assertThatThrownBy(() -> LocalCredentials.loadOrCreate(Optional.of(data)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(LocalCredentials.FILE_NAME);
  }
}
