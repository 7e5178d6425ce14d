/*
 * Builds one deployment package per function from the shaded jar of all handlers (run by Maven in
 * lambda's package phase as a single-file program: java FunctionPackager.java <spec> <jar> <dir>).
 *
 * A package keeps the handlers and every library class, except what the function provably never
 * touches, decided per SDK service from the operations it calls (function-packages.properties):
 *
 *  - a service the function does not call is left out entirely (list has no S3 classes);
 *  - of a service's model classes it keeps the request and response class of every operation, as
 *    stubs (the class's name, flags and superclass, no members: what the client's bytecode verifier
 *    needs when it loads them, as it never initializes them), and in full (with all they reference,
 *    transitively) the called operations' classes, every exception class and the service's base
 *    request/response classes;
 *  - the marshallers of operations it does not call, the asynchronous clients, multipart and CRT
 *    support, paginators, waiters and DynamoDB Streams (the functions use synchronous clients, one
 *    call at a time), the presigner unless the function presigns, and Maven metadata.
 *
 * Output is deterministic: input order, fixed timestamps, fixed compression level.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

public class FunctionPackager {
  private static final String SERVICES = "software/amazon/awssdk/services/";
  private static final List<String> SERVICE_NAMES =
      List.of("s3", "dynamodb", "cognitoidentityprovider");
  /** Services kept whole by a function that calls them (small, and called by one function). */
  private static final List<String> KEPT_WHOLE = List.of("cognitoidentityprovider");
  private static final Pattern MODEL_REFERENCE =
      Pattern.compile("software/amazon/awssdk/services/(?:s3|dynamodb)/model/[A-Za-z0-9_$]+");
  private static final Pattern MARSHALLER_REFERENCE =
      Pattern.compile("software/amazon/awssdk/services/s3/transform/[A-Za-z0-9]+RequestMarshaller");
  private static final String PRESIGNER =
      "software/amazon/awssdk/services/s3/internal/signing/DefaultS3Presigner.class";
  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2026, 1, 1, 0, 0);

  /** One function: the SDK operations it calls per service, and whether it presigns S3 URLs. */
  record Spec(String name, Map<String, Set<String>> operations, boolean presigns) {
    static Spec parse(String name, String value) {
      Map<String, Set<String>> operations = new TreeMap<>();
      boolean presigns = false;
      for (String item : value.split(",")) {
        if (item.isBlank()) {
          continue; // a function that calls no AWS service keeps no SDK service classes
        }
        String[] parts = item.trim().split(":");
        if (parts.length != 2 || parts[1].isBlank()) {
          throw new IllegalArgumentException(name + ": expected service:Operation, got " + item);
        }
        String service = parts[0];
        if (service.equals("s3-presign")) {
          presigns = true;
          service = "s3";
        }
        if (!SERVICE_NAMES.contains(service)) {
          throw new IllegalArgumentException(name + ": unknown service " + parts[0]);
        }
        operations.computeIfAbsent(service, s -> new HashSet<>()).add(parts[1]);
      }
      return new Spec(name, operations, presigns);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: FunctionPackager <function-packages.properties> <jar> <dir>");
      System.exit(2);
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      properties.load(in);
    }
    Path output = Path.of(args[2]);
    Files.createDirectories(output);
    try (ZipFile jar = new ZipFile(args[1])) {
      for (String name : new TreeMap<>(properties).keySet().stream().map(String::valueOf).toList()) {
        Spec spec = Spec.parse(name, properties.getProperty(name));
        Path target = output.resolve(name + ".jar");
        long size = write(jar, spec, target);
        System.out.printf("function package %s cut: %,d bytes%n", target, size);
      }
    }
  }

  static long write(ZipFile jar, Spec spec, Path target) throws IOException {
    Set<String> stubs = new HashSet<>();
    Set<String> model = modelToKeep(jar, spec, stubs);
    Set<String> marshallers = new HashSet<>();
    if (spec.presigns()) {
      // The presigner builds the marshallers of every operation it can presign.
      marshallers.addAll(referenced(jar, PRESIGNER, MARSHALLER_REFERENCE));
    }
    try (OutputStream file = Files.newOutputStream(target);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.setLevel(9);
      for (ZipEntry entry : jar.stream().toList()) {
        if (!keep(entry.getName(), spec, model, marshallers)) {
          continue;
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTimeLocal(FIXED_TIME);
        zip.putNextEntry(copy);
        if (!entry.isDirectory()) {
          try (InputStream in = jar.getInputStream(entry)) {
            String className = entry.getName().replaceFirst("\\.class$", "");
            if (stubs.contains(className)) {
              zip.write(stub(in.readAllBytes()));
            } else {
              in.transferTo(zip);
            }
          }
        }
        zip.closeEntry();
      }
    }
    return Files.size(target);
  }

  private static boolean keep(
      String name, Spec spec, Set<String> model, Set<String> marshallers) {
    if (name.startsWith("META-INF/maven/")) {
      return false;
    }
    if (!name.startsWith(SERVICES)) {
      return true;
    }
    String rest = name.substring(SERVICES.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return true;
    }
    String service = rest.substring(0, slash);
    String path = rest.substring(slash + 1);
    if (!SERVICE_NAMES.contains(service)) {
      return true;
    }
    Set<String> operations = spec.operations().get(service);
    if (operations == null) {
      return false; // a service the function never calls
    }
    if (KEPT_WHOLE.contains(service)) {
      return true;
    }
    if (path.startsWith("model/")) {
      return !name.endsWith(".class") || model.contains(name.substring(0, name.length() - 6));
    }
    Matcher marshaller = Pattern.compile("transform/([A-Za-z0-9]+)RequestMarshaller").matcher(path);
    if (marshaller.lookingAt()) {
      return operations.contains(marshaller.group(1))
          || marshallers.contains(name.substring(0, name.length() - ".class".length()));
    }
    if (path.matches("[A-Za-z0-9]*Async[A-Za-z0-9$]*\\.class")
        || path.startsWith("internal/multipart/")
        || path.startsWith("internal/crt/")
        || path.startsWith("paginators/")
        || path.startsWith("waiters/")
        || path.startsWith("streams/")) {
      return false;
    }
    if (path.startsWith("presigner/")
        || path.equals("internal/signing/DefaultS3Presigner.class")
        || path.equals("internal/signing/DefaultSdkPresigner.class")) {
      return spec.presigns(); // the presigner's implementation is reachable only through presigner/
    }
    if (path.matches("internal/(crossregion|presignedurl)/[A-Za-z0-9]*Async[A-Za-z0-9$]*\\.class")) {
      return false; // built only by the asynchronous client (the interceptors in internal/handlers,
      // Async* included, are loaded by every client from its interceptor list)
    }
    return true;
  }

  /**
   * Model classes (names without .class) the function keeps; see the file comment. Those only kept
   * for the verifier are also added to {@code stubs}.
   */
  static Set<String> modelToKeep(ZipFile jar, Spec spec, Set<String> stubs) throws IOException {
    Map<String, ZipEntry> classes = new LinkedHashMap<>();
    jar.stream()
        .filter(e -> e.getName().endsWith(".class") && e.getName().contains("/model/"))
        .forEach(e -> classes.put(e.getName().substring(0, e.getName().length() - 6), e));
    Set<String> keep = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    List<String> shells = new ArrayList<>();
    for (String name : classes.keySet()) {
      String service = serviceOf(name);
      if (service == null || !spec.operations().containsKey(service)) {
        continue;
      }
      String simple = name.substring(name.lastIndexOf('/') + 1);
      String outer = simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple;
      boolean called =
          spec.operations().get(service).stream()
              .anyMatch(op -> outer.equals(op + "Request") || outer.equals(op + "Response"));
      boolean base =
          outer.equals("S3Request")
              || outer.equals("S3Response")
              || outer.equals("DynamoDbRequest")
              || outer.equals("DynamoDbResponse")
              || outer.endsWith("Exception");
      if (called || base) {
        todo.add(name);
      } else if (!simple.contains("$") && (simple.endsWith("Request") || simple.endsWith("Response"))) {
        shells.add(name);
      }
    }
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!classes.containsKey(name) || !keep.add(name)) {
        continue;
      }
      byte[] bytes;
      try (InputStream in = jar.getInputStream(classes.get(name))) {
        bytes = in.readAllBytes();
      }
      // Constant-pool strings (class names, descriptors, signatures) are plain ASCII here.
      Matcher reference = MODEL_REFERENCE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
      while (reference.find()) {
        todo.add(reference.group());
      }
      int nested = name.indexOf('$');
      if (nested > 0) {
        todo.add(name.substring(0, nested));
      }
    }
    for (String shell : shells) {
      if (keep.add(shell) && !KEPT_WHOLE.contains(serviceOf(shell))) {
        stubs.add(shell); // referenced by no class kept in full
      }
    }
    return keep;
  }

  /**
   * A class file with the same version, name, access flags and superclass as the given one, and
   * nothing else: no interfaces, fields, methods or attributes. Loading and verifying code that
   * names it works; initializing or using it would fail, which is why only classes the function
   * never initializes are stubbed.
   */
  static byte[] stub(byte[] original) throws IOException {
    java.io.DataInputStream in =
        new java.io.DataInputStream(new java.io.ByteArrayInputStream(original));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    int minor = in.readUnsignedShort();
    int major = in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNameIndex = new int[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNameIndex[i] = in.readUnsignedShort();
        case 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // longs and doubles take two entries
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    int access = in.readUnsignedShort();
    String self = utf8[classNameIndex[in.readUnsignedShort()]];
    String superclass = utf8[classNameIndex[in.readUnsignedShort()]];
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    out.writeInt(0xCAFEBABE);
    out.writeShort(minor);
    out.writeShort(major);
    out.writeShort(5); // four constants: two names and their two classes
    out.writeByte(1);
    out.writeUTF(self);
    out.writeByte(7);
    out.writeShort(1);
    out.writeByte(1);
    out.writeUTF(superclass);
    out.writeByte(7);
    out.writeShort(3);
    out.writeShort(access);
    out.writeShort(2);
    out.writeShort(4);
    out.writeShort(0); // interfaces
    out.writeShort(0); // fields
    out.writeShort(0); // methods
    out.writeShort(0); // attributes
    out.flush();
    return bytes.toByteArray();
  }

  /** Names that match the pattern in the class file's constant pool. */
  private static Set<String> referenced(ZipFile jar, String classFile, Pattern pattern)
      throws IOException {
    ZipEntry entry = jar.getEntry(classFile);
    if (entry == null) {
      throw new IllegalStateException(classFile + " is not in the jar");
    }
    Set<String> names = new HashSet<>();
    try (InputStream in = jar.getInputStream(entry)) {
      Matcher matcher =
          pattern.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
      while (matcher.find()) {
        names.add(matcher.group());
      }
    }
    return names;
  }

  private static String serviceOf(String className) {
    for (String service : SERVICE_NAMES) {
      if (className.startsWith(SERVICES + service + "/model/")) {
        return service;
      }
    }
    return null;
  }
}
