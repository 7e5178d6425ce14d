/*
 * Compiles the lambdas and method references of the function packages into ordinary classes at
 * build time (run by Maven after FunctionPackager, as a single-file program with ASM on the class
 * path: java -cp asm.jar LambdaDesugarer.java <dir of packages>; rewrites each <name>.jar there).
 *
 * Why: at run time the JVM links every lambda call site by spinning a hidden class
 * (LambdaMetafactory), which costs a cold JVM about 0.18 ms per site against about 0.07 ms to load
 * a small class from the package; a cold delete links about 700 sites, most of them the AWS SDK's.
 * Here each call site's invokedynamic becomes a static call or field read of a class made for it,
 * which implements the functional interface the way LambdaMetafactory's would: captured values in
 * final fields, the interface method calling the implementation with LambdaMetafactory's type
 * conversions (casts, boxing, unboxing, widening), a shared instance for a lambda that captures
 * nothing. The sites of one class that make the same interface (and markers) share one class, told
 * apart by a site number, so that no lambda object implements an interface its site did not ask
 * for; with one class per site the delete package would grow past 8 MB.
 *
 * A private implementation method (a lambda's body) is called through a package-private static
 * bridge added to its class. Left as invokedynamic: serializable lambdas, sites in interfaces
 * whose body is private (an interface cannot hold a package-private bridge), implementation
 * methods another class of the package could not call (protected or package-private elsewhere,
 * super:: calls, private members of other classes), and anything not from LambdaMetafactory
 * (string concatenation, records' methods).
 *
 * Output is deterministic: entry order and names follow the input, fixed timestamps and level.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

public class LambdaDesugarer {
  private static final String METAFACTORY = "java/lang/invoke/LambdaMetafactory";
  private static final int FLAG_SERIALIZABLE = 1;
  private static final int FLAG_MARKERS = 2;
  private static final int FLAG_BRIDGES = 4;
  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2026, 1, 1, 0, 0);
  private static final String OBJECT = "java/lang/Object";

  /** The package's class files by internal name: where accessibility is looked up. */
  private final Map<String, byte[]> classes;

  private final Map<String, ClassInfo> infos = new HashMap<>();
  int desugared;
  int kept;
  int made;

  LambdaDesugarer(Map<String, byte[]> classes) {
    this.classes = classes;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: LambdaDesugarer <directory of function packages>");
      System.exit(2);
    }
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
      dir.forEach(jars::add);
    }
    jars.sort(null);
    // The packages are independent: rewritten side by side, reported in name order.
    List<String> reports =
        jars.parallelStream()
            .map(
                jar -> {
                  try {
                    LambdaDesugarer desugarer = rewrite(jar);
                    return String.format(
                        "function package %s: %,d bytes (%d lambda sites compiled into %d classes,"
                            + " %d left)",
                        jar, Files.size(jar), desugarer.desugared, desugarer.made, desugarer.kept);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .toList();
    reports.forEach(System.out::println);
  }

  /** Rewrites one package in place. */
  static LambdaDesugarer rewrite(Path jar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : zip.stream().toList()) {
        try (InputStream in = zip.getInputStream(entry)) {
          entries.put(entry.getName(), in.readAllBytes());
        }
      }
    }
    Map<String, byte[]> classes = new HashMap<>();
    entries.forEach(
        (name, bytes) -> {
          if (isClass(name)) {
            classes.put(name.substring(0, name.length() - ".class".length()), bytes);
          }
        });
    LambdaDesugarer desugarer = new LambdaDesugarer(classes);
    Path temporary = jar.resolveSibling(jar.getFileName() + ".tmp");
    try (OutputStream file = Files.newOutputStream(temporary);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.setLevel(9);
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        String name = entry.getKey();
        Map<String, byte[]> written =
            isClass(name)
                ? desugarer.desugar(name.substring(0, name.length() - 6), entry.getValue())
                : Map.of(name, entry.getValue());
        for (Map.Entry<String, byte[]> out : written.entrySet()) {
          String outName = isClass(name) ? out.getKey() + ".class" : out.getKey();
          ZipEntry copy = new ZipEntry(outName);
          copy.setTimeLocal(FIXED_TIME);
          zip.putNextEntry(copy);
          zip.write(out.getValue());
          zip.closeEntry();
        }
      }
    }
    Files.move(temporary, jar, StandardCopyOption.REPLACE_EXISTING);
    return desugarer;
  }

  private static boolean isClass(String entryName) {
    return entryName.endsWith(".class")
        && !entryName.startsWith("META-INF/")
        && !entryName.endsWith("module-info.class");
  }

  /** One class's access, supertypes and methods ("name+descriptor" to access flags). */
  record ClassInfo(
      int access, String superName, List<String> interfaces, Map<String, Integer> methods) {}

  /** A call site to compile: the interface it makes and how its method calls the target. */
  record Site(
      String samName,
      Type indy,
      Type sam,
      Type instantiated,
      Handle target,
      List<String> markers,
      List<Type> bridges) {}

  /** The sites of one class that make the same interfaces, compiled into one class. */
  static final class Group {
    final String name;
    final List<Site> sites = new ArrayList<>();
    final Map<String, Integer> captureShapes = new LinkedHashMap<>();

    Group(String name) {
      this.name = name;
    }

    int shape(Site site) {
      return captureShapes.computeIfAbsent(
          Type.getMethodDescriptor(Type.VOID_TYPE, site.indy.getArgumentTypes()),
          key -> captureShapes.size());
    }
  }

  /**
   * The class rewritten (first entry), then the classes made for its lambdas; the class alone if it
   * has no site to compile.
   */
  Map<String, byte[]> desugar(String host, byte[] original) {
    ClassReader reader = new ClassReader(original);
    ClassWriter writer = new ClassWriter(0);
    Map<String, Group> groups = new LinkedHashMap<>();
    List<Bridge> bridges = new ArrayList<>();
    ClassInfo hostInfo = info(host);
    int[] version = {0};
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visit(
              int v, int access, String name, String sig, String superName, String[] itfs) {
            version[0] = v;
            super.visit(v, access, name, sig, superName, itfs);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String sig, String[] exceptions) {
            return new MethodVisitor(
                Opcodes.ASM9, super.visitMethod(access, name, desc, sig, exceptions)) {
              @Override
              public void visitInvokeDynamicInsn(
                  String samName, String indyDesc, Handle bsm, Object... args) {
                Site site = site(host, hostInfo, samName, indyDesc, bsm, args, bridges);
                if (site == null) {
                  if (bsm.getOwner().equals(METAFACTORY)) {
                    kept++; // a lambda left as it is (string concatenation is no lambda)
                  }
                  super.visitInvokeDynamicInsn(samName, indyDesc, bsm, args);
                  return;
                }
                String key = site.indy.getReturnType().getInternalName() + site.markers;
                Group group =
                    groups.computeIfAbsent(key, k -> new Group(host + "$$Lambda$" + groups.size()));
                int number = group.sites.size();
                group.sites.add(site);
                desugared++;
                if (site.indy.getArgumentTypes().length == 0) {
                  super.visitFieldInsn(
                      Opcodes.GETSTATIC,
                      group.name,
                      "site" + number,
                      site.indy.getReturnType().getDescriptor());
                } else {
                  super.visitMethodInsn(
                      Opcodes.INVOKESTATIC, group.name, "site" + number, indyDesc, false);
                }
              }
            };
          }

          @Override
          public void visitEnd() {
            bridges.forEach(bridge -> writeBridge(cv, bridge));
            super.visitEnd();
          }
        },
        0);
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (groups.isEmpty()) {
      out.put(host, original);
      return out;
    }
    for (Group group : groups.values()) {
      if (classes.containsKey(group.name)) {
        throw new IllegalStateException(group.name + " exists already");
      }
    }
    out.put(host, writer.toByteArray());
    for (Group group : groups.values()) {
      out.put(group.name, groupClass(version[0], group));
      made++;
    }
    return out;
  }

  /** The site, or null if it stays invokedynamic. Adds to {@code bridges} a bridge it needs. */
  private Site site(
      String host,
      ClassInfo hostInfo,
      String samName,
      String indyDesc,
      Handle bsm,
      Object[] args,
      List<Bridge> bridges) {
    if (!bsm.getOwner().equals(METAFACTORY)) {
      return null;
    }
    List<String> markers = new ArrayList<>();
    List<Type> bridgeTypes = new ArrayList<>();
    if (bsm.getName().equals("altMetafactory")) {
      int flags = (Integer) args[3];
      if ((flags & FLAG_SERIALIZABLE) != 0) {
        return null;
      }
      int i = 4;
      if ((flags & FLAG_MARKERS) != 0) {
        int count = (Integer) args[i++];
        for (int k = 0; k < count; k++) {
          markers.add(((Type) args[i++]).getInternalName());
        }
      }
      if ((flags & FLAG_BRIDGES) != 0) {
        int count = (Integer) args[i++];
        for (int k = 0; k < count; k++) {
          bridgeTypes.add((Type) args[i++]);
        }
      }
    } else if (!bsm.getName().equals("metafactory")) {
      return null;
    }
    Type indy = Type.getMethodType(indyDesc);
    if (!accessibleClass(host, indy.getReturnType().getInternalName())
        || !markers.stream().allMatch(marker -> accessibleClass(host, marker))) {
      return null;
    }
    Handle impl = (Handle) args[1];
    Handle target = impl;
    if (impl.getOwner().equals(host)) {
      Integer access = hostInfo.methods.get(impl.getName() + impl.getDesc());
      if (access == null) {
        return null;
      }
      if ((access & Opcodes.ACC_PRIVATE) != 0) {
        if ((hostInfo.access & Opcodes.ACC_INTERFACE) != 0) {
          return null;
        }
        target = bridgeFor(host, impl, bridges);
      } else if (impl.getTag() == Opcodes.H_INVOKESPECIAL) {
        return null;
      }
    } else if (impl.getTag() == Opcodes.H_INVOKESPECIAL
        || !accessibleClass(host, impl.getOwner())
        || !accessibleMember(host, impl)) {
      return null;
    }
    return new Site(
        samName, indy, (Type) args[0], (Type) args[2], target, markers, bridgeTypes);
  }

  /** A package-private static method of the host that calls its private method {@code impl}. */
  record Bridge(Handle impl, Handle handle, List<Type> params, Type returns) {}

  private static Handle bridgeFor(String host, Handle impl, List<Bridge> bridges) {
    Type implType = Type.getMethodType(impl.getDesc());
    List<Type> params = new ArrayList<>();
    Type returns = implType.getReturnType();
    switch (impl.getTag()) {
      case Opcodes.H_INVOKESTATIC -> {}
      case Opcodes.H_NEWINVOKESPECIAL -> returns = Type.getObjectType(impl.getOwner());
      default -> params.add(Type.getObjectType(host)); // the receiver
    }
    params.addAll(List.of(implType.getArgumentTypes()));
    Handle handle =
        new Handle(
            Opcodes.H_INVOKESTATIC,
            host,
            "lambda$bridge$" + bridges.size(),
            Type.getMethodDescriptor(returns, params.toArray(Type[]::new)),
            false);
    bridges.add(new Bridge(impl, handle, params, returns));
    return handle;
  }

  private static void writeBridge(ClassVisitor cv, Bridge bridge) {
    Handle impl = bridge.impl;
    MethodVisitor mv =
        cv.visitMethod(
            Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            bridge.handle.getName(),
            bridge.handle.getDesc(),
            null,
            null);
    mv.visitCode();
    int stack = 0;
    if (impl.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
      mv.visitTypeInsn(Opcodes.NEW, impl.getOwner());
      mv.visitInsn(Opcodes.DUP);
      stack = 2;
    }
    int slot = 0;
    for (Type param : bridge.params) {
      mv.visitVarInsn(param.getOpcode(Opcodes.ILOAD), slot);
      slot += param.getSize();
    }
    mv.visitMethodInsn(
        impl.getTag() == Opcodes.H_INVOKESTATIC ? Opcodes.INVOKESTATIC : Opcodes.INVOKESPECIAL,
        impl.getOwner(),
        impl.getName(),
        impl.getDesc(),
        impl.isInterface());
    mv.visitInsn(bridge.returns.getOpcode(Opcodes.IRETURN));
    mv.visitMaxs(Math.max(stack + slot, bridge.returns.getSize()), slot);
    mv.visitEnd();
  }

  private static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash);
  }

  private boolean accessibleClass(String host, String name) {
    if (packageOf(host).equals(packageOf(name))) {
      return true;
    }
    ClassInfo info = info(name);
    return info != null && (info.access & Opcodes.ACC_PUBLIC) != 0;
  }

  /** Whether another class of the host's package may call the method, resolved as the JVM does. */
  private boolean accessibleMember(String host, Handle impl) {
    String key = impl.getName() + impl.getDesc();
    List<String> queue = new ArrayList<>(List.of(impl.getOwner()));
    for (int i = 0; i < queue.size(); i++) {
      String name = queue.get(i);
      ClassInfo info = info(name);
      if (info == null) {
        return false;
      }
      Integer access = info.methods.get(key);
      if (access != null) {
        if ((access & Opcodes.ACC_PRIVATE) != 0) {
          return false;
        }
        boolean samePackage = packageOf(name).equals(packageOf(host));
        if ((access & Opcodes.ACC_PUBLIC) != 0) {
          return samePackage || (info.access & Opcodes.ACC_PUBLIC) != 0;
        }
        return samePackage; // protected or package-private
      }
      if (impl.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
        return false; // constructors are not inherited
      }
      if (info.superName != null) {
        queue.add(info.superName);
      }
      queue.addAll(info.interfaces);
    }
    return false;
  }

  /** A class of the package, or of the JDK running this program; null if neither. */
  ClassInfo info(String name) {
    return infos.computeIfAbsent(name, this::load);
  }

  private ClassInfo load(String name) {
    byte[] bytes = classes.get(name);
    if (bytes != null) {
      ClassReader reader = new ClassReader(bytes);
      Map<String, Integer> methods = new HashMap<>();
      reader.accept(
          new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(
                int access, String method, String desc, String sig, String[] exceptions) {
              methods.put(method + desc, access);
              return null;
            }
          },
          ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return new ClassInfo(
          reader.getAccess(), reader.getSuperName(), List.of(reader.getInterfaces()), methods);
    }
    if (!name.startsWith("java/")) {
      return null; // not in the package and not the JDK's public API: leave its sites alone
    }
    try {
      Class<?> type = Class.forName(name.replace('/', '.'), false, null);
      Map<String, Integer> methods = new HashMap<>();
      for (var method : type.getDeclaredMethods()) {
        methods.put(method.getName() + Type.getMethodDescriptor(method), method.getModifiers());
      }
      for (var constructor : type.getDeclaredConstructors()) {
        methods.put(
            "<init>" + Type.getConstructorDescriptor(constructor), constructor.getModifiers());
      }
      List<String> interfaces = new ArrayList<>();
      for (Class<?> itf : type.getInterfaces()) {
        interfaces.add(Type.getInternalName(itf));
      }
      Class<?> superclass = type.getSuperclass();
      return new ClassInfo(
          type.getModifiers() & (Modifier.PUBLIC | Modifier.INTERFACE),
          superclass == null ? null : Type.getInternalName(superclass),
          interfaces,
          methods);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  /** The class of a group: an instance per lambda, told apart by {@code site} if there are more. */
  static byte[] groupClass(int version, Group group) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    Site first = group.sites.get(0);
    List<String> interfaces = new ArrayList<>();
    interfaces.add(first.indy.getReturnType().getInternalName());
    interfaces.addAll(first.markers);
    cw.visit(
        version,
        Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
        group.name,
        null,
        OBJECT,
        interfaces.toArray(String[]::new));
    boolean many = group.sites.size() > 1;
    if (many) {
      cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "site", "I", null, null).visitEnd();
    }
    group.sites.forEach(group::shape);
    for (Map.Entry<String, Integer> shape : group.captureShapes.entrySet()) {
      Type[] captured = Type.getArgumentTypes(shape.getKey());
      for (int i = 0; i < captured.length; i++) {
        cw.visitField(
                Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL,
                field(shape.getValue(), i),
                captured[i].getDescriptor(),
                null,
                null)
            .visitEnd();
      }
      constructor(cw, group.name, many, shape.getValue(), captured);
    }
    MethodVisitor clinit = null;
    Map<String, List<Integer>> methods = new LinkedHashMap<>();
    for (int k = 0; k < group.sites.size(); k++) {
      Site site = group.sites.get(k);
      Type[] captured = site.indy.getArgumentTypes();
      String itf = site.indy.getReturnType().getDescriptor();
      String init = constructorDescriptor(many, captured);
      MethodVisitor mv;
      if (captured.length == 0) {
        cw.visitField(
                Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC,
                "site" + k,
                itf,
                null,
                null)
            .visitEnd();
        if (clinit == null) {
          clinit = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
          clinit.visitCode();
        }
        mv = clinit;
      } else {
        mv =
            cw.visitMethod(
                Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                "site" + k,
                site.indy.getDescriptor(),
                null,
                null);
        mv.visitCode();
      }
      mv.visitTypeInsn(Opcodes.NEW, group.name);
      mv.visitInsn(Opcodes.DUP);
      if (many) {
        mv.visitLdcInsn(k);
      }
      int slot = 0;
      for (Type type : captured) {
        mv.visitVarInsn(type.getOpcode(Opcodes.ILOAD), slot);
        slot += type.getSize();
      }
      mv.visitMethodInsn(Opcodes.INVOKESPECIAL, group.name, "<init>", init, false);
      if (captured.length == 0) {
        mv.visitFieldInsn(Opcodes.PUTSTATIC, group.name, "site" + k, itf);
      } else {
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
      }
      methods
          .computeIfAbsent(site.samName + site.sam.getDescriptor(), m -> new ArrayList<>())
          .add(k);
      for (Type bridge : site.bridges) {
        List<Integer> sites =
            methods.computeIfAbsent(site.samName + bridge.getDescriptor(), m -> new ArrayList<>());
        if (!sites.contains(k)) {
          sites.add(k);
        }
      }
    }
    if (clinit != null) {
      clinit.visitInsn(Opcodes.RETURN);
      clinit.visitMaxs(0, 0);
      clinit.visitEnd();
    }
    for (Map.Entry<String, List<Integer>> method : methods.entrySet()) {
      interfaceMethod(cw, group, many, method.getKey(), method.getValue());
    }
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static String field(int shape, int index) {
    return "captured" + shape + "$" + index;
  }

  private static String constructorDescriptor(boolean many, Type[] captured) {
    List<Type> params = new ArrayList<>();
    if (many) {
      params.add(Type.INT_TYPE);
    }
    params.addAll(List.of(captured));
    return Type.getMethodDescriptor(Type.VOID_TYPE, params.toArray(Type[]::new));
  }

  private static void constructor(
      ClassWriter cw, String name, boolean many, int shape, Type[] captured) {
    MethodVisitor mv =
        cw.visitMethod(
            Opcodes.ACC_PRIVATE, "<init>", constructorDescriptor(many, captured), null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, OBJECT, "<init>", "()V", false);
    int slot = 1;
    if (many) {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitVarInsn(Opcodes.ILOAD, slot++);
      mv.visitFieldInsn(Opcodes.PUTFIELD, name, "site", "I");
    }
    for (int i = 0; i < captured.length; i++) {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitVarInsn(captured[i].getOpcode(Opcodes.ILOAD), slot);
      mv.visitFieldInsn(Opcodes.PUTFIELD, name, field(shape, i), captured[i].getDescriptor());
      slot += captured[i].getSize();
    }
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /** One method of the interface: each site's call, chosen by {@code site} if there are more. */
  private static void interfaceMethod(
      ClassWriter cw, Group group, boolean many, String key, List<Integer> sites) {
    int paren = key.indexOf('(');
    String name = key.substring(0, paren);
    Type type = Type.getMethodType(key.substring(paren));
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, name, type.getDescriptor(), null, null);
    mv.visitCode();
    if (!many) {
      call(mv, group, group.sites.get(0), type);
    } else {
      Label otherwise = new Label();
      Label[] labels = new Label[sites.size()];
      int[] keys = new int[sites.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = new Label();
        keys[i] = sites.get(i);
      }
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitFieldInsn(Opcodes.GETFIELD, group.name, "site", "I");
      mv.visitLookupSwitchInsn(otherwise, keys, labels);
      for (int i = 0; i < labels.length; i++) {
        mv.visitLabel(labels[i]);
        mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        call(mv, group, group.sites.get(keys[i]), type);
      }
      // A bridge method another site of the group has, which this site's class would lack.
      mv.visitLabel(otherwise);
      mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
      mv.visitTypeInsn(Opcodes.NEW, "java/lang/AbstractMethodError");
      mv.visitInsn(Opcodes.DUP);
      mv.visitMethodInsn(
          Opcodes.INVOKESPECIAL, "java/lang/AbstractMethodError", "<init>", "()V", false);
      mv.visitInsn(Opcodes.ATHROW);
    }
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /** Loads the captured values and the arguments, calls the target, returns its result. */
  private static void call(MethodVisitor mv, Group group, Site site, Type method) {
    Handle target = site.target;
    Type targetType = Type.getMethodType(target.getDesc());
    List<Type> targetParams = new ArrayList<>();
    int tag = target.getTag();
    if (tag == Opcodes.H_INVOKEVIRTUAL || tag == Opcodes.H_INVOKEINTERFACE) {
      targetParams.add(Type.getObjectType(target.getOwner())); // the receiver
    }
    targetParams.addAll(List.of(targetType.getArgumentTypes()));
    Type targetReturn =
        tag == Opcodes.H_NEWINVOKESPECIAL
            ? Type.getObjectType(target.getOwner())
            : targetType.getReturnType();
    if (tag == Opcodes.H_NEWINVOKESPECIAL) {
      mv.visitTypeInsn(Opcodes.NEW, target.getOwner());
      mv.visitInsn(Opcodes.DUP);
    }
    Type[] captured = site.indy.getArgumentTypes();
    Type[] params = method.getArgumentTypes();
    Type[] instantiated = site.instantiated.getArgumentTypes();
    if (captured.length + params.length != targetParams.size()) {
      throw new IllegalStateException(group.name + ": arity of " + target);
    }
    int p = 0;
    int shape = group.shape(site);
    for (int i = 0; i < captured.length; i++) {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitFieldInsn(
          Opcodes.GETFIELD, group.name, field(shape, i), captured[i].getDescriptor());
      convert(mv, captured[i], targetParams.get(p++));
    }
    int slot = 1;
    for (int i = 0; i < params.length; i++) {
      mv.visitVarInsn(params[i].getOpcode(Opcodes.ILOAD), slot);
      slot += params[i].getSize();
      convert(mv, params[i], instantiated[i]);
      convert(mv, instantiated[i], targetParams.get(p++));
    }
    int opcode =
        switch (tag) {
          case Opcodes.H_INVOKESTATIC -> Opcodes.INVOKESTATIC;
          case Opcodes.H_INVOKEVIRTUAL -> Opcodes.INVOKEVIRTUAL;
          case Opcodes.H_INVOKEINTERFACE -> Opcodes.INVOKEINTERFACE;
          case Opcodes.H_NEWINVOKESPECIAL -> Opcodes.INVOKESPECIAL;
          default -> throw new IllegalStateException("handle kind " + tag);
        };
    mv.visitMethodInsn(
        opcode, target.getOwner(), target.getName(), target.getDesc(), target.isInterface());
    Type returns = method.getReturnType();
    if (returns.getSort() == Type.VOID) {
      if (targetReturn.getSize() == 2) {
        mv.visitInsn(Opcodes.POP2);
      } else if (targetReturn.getSize() == 1) {
        mv.visitInsn(Opcodes.POP);
      }
      mv.visitInsn(Opcodes.RETURN);
      return;
    }
    convert(mv, targetReturn, site.instantiated.getReturnType());
    convert(mv, site.instantiated.getReturnType(), returns);
    mv.visitInsn(returns.getOpcode(Opcodes.IRETURN));
  }

  private static final Map<Integer, String> WRAPPERS =
      Map.of(
          Type.BOOLEAN, "java/lang/Boolean",
          Type.CHAR, "java/lang/Character",
          Type.BYTE, "java/lang/Byte",
          Type.SHORT, "java/lang/Short",
          Type.INT, "java/lang/Integer",
          Type.FLOAT, "java/lang/Float",
          Type.LONG, "java/lang/Long",
          Type.DOUBLE, "java/lang/Double");

  private static final List<Type> PRIMITIVES =
      List.of(
          Type.BOOLEAN_TYPE,
          Type.CHAR_TYPE,
          Type.BYTE_TYPE,
          Type.SHORT_TYPE,
          Type.INT_TYPE,
          Type.FLOAT_TYPE,
          Type.LONG_TYPE,
          Type.DOUBLE_TYPE);

  private static boolean primitive(Type type) {
    return type.getSort() < Type.ARRAY;
  }

  /** The primitive a wrapper class holds, or null. */
  private static Type unwrapped(Type type) {
    for (Type primitive : PRIMITIVES) {
      if (WRAPPERS.get(primitive.getSort()).equals(type.getInternalName())) {
        return primitive;
      }
    }
    return null;
  }

  /** LambdaMetafactory's conversion of a value of type {@code from} to type {@code to}. */
  static void convert(MethodVisitor mv, Type from, Type to) {
    if (from.equals(to)) {
      return;
    }
    if (primitive(from) && primitive(to)) {
      widen(mv, from, to);
    } else if (primitive(from)) {
      String wrapper = WRAPPERS.get(from.getSort());
      mv.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          wrapper,
          "valueOf",
          Type.getMethodDescriptor(Type.getObjectType(wrapper), from),
          false);
      if (!to.getInternalName().equals(wrapper) && !to.getInternalName().equals(OBJECT)) {
        mv.visitTypeInsn(Opcodes.CHECKCAST, to.getInternalName());
      }
    } else if (primitive(to)) {
      Type held = unwrapped(from);
      if (held == null) {
        held = to;
        mv.visitTypeInsn(Opcodes.CHECKCAST, WRAPPERS.get(to.getSort()));
      }
      mv.visitMethodInsn(
          Opcodes.INVOKEVIRTUAL,
          WRAPPERS.get(held.getSort()),
          held.getClassName() + "Value",
          Type.getMethodDescriptor(held),
          false);
      widen(mv, held, to);
    } else if (!to.getInternalName().equals(OBJECT)) {
      mv.visitTypeInsn(Opcodes.CHECKCAST, to.getInternalName());
    }
  }

  /** Java's widening primitive conversions (the only ones LambdaMetafactory makes). */
  private static void widen(MethodVisitor mv, Type from, Type to) {
    int f = from.getSort();
    int t = to.getSort();
    boolean intLike = f == Type.BYTE || f == Type.SHORT || f == Type.CHAR || f == Type.INT;
    if (f == t || intLike && (t == Type.INT || t == Type.SHORT && f == Type.BYTE)) {
      return;
    }
    int opcode;
    if (intLike && t == Type.LONG) {
      opcode = Opcodes.I2L;
    } else if (intLike && t == Type.FLOAT) {
      opcode = Opcodes.I2F;
    } else if (intLike && t == Type.DOUBLE) {
      opcode = Opcodes.I2D;
    } else if (f == Type.LONG && t == Type.FLOAT) {
      opcode = Opcodes.L2F;
    } else if (f == Type.LONG && t == Type.DOUBLE) {
      opcode = Opcodes.L2D;
    } else if (f == Type.FLOAT && t == Type.DOUBLE) {
      opcode = Opcodes.F2D;
    } else {
      throw new IllegalStateException("no widening conversion from " + from + " to " + to);
    }
    mv.visitInsn(opcode);
  }
}
