# Finds a JDK >= 21 and exports JAVA_HOME; sourced by ./mvnw, ./payrail and .ci/run (POSIX sh).
# Order: $JAVA_HOME, the java on PATH, then the usual install places. The machine's default java may be
# older (17 on Debian 12), so we never trust it blindly.
payrail_java_major() {
  # prints the major version of the java binary given, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
payrail_find_jdk() {
  # callers such as mvnw run with `set -f`; globbing is needed here (this runs in a subshell)
  set +f
  for candidate in "${JAVA_HOME-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)" 2>/dev/null)")" 2>/dev/null)" \
      /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(payrail_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}
if PAYRAIL_JDK=$(payrail_find_jdk); then
  JAVA_HOME=$PAYRAIL_JDK
  export JAVA_HOME
else
  echo "payrail: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm). Install one (e.g. apt-get install openjdk-21-jdk or Temurin 21+) or set JAVA_HOME." >&2
  exit 1
fi
