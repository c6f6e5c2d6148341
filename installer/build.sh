#!/usr/bin/env bash
# Builds the Lathe app image (and a .deb when Debian's packaging tools are present) with JDK 17's
# jpackage. Run through Maven: mvn -B -Pinstaller package  (after the jar and target/lib exist).
# The .deb needs dpkg-deb and fakeroot:  apt-get install -y fakeroot dpkg
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/target"
version="${1:-0.1.0}"
out="$target/installer"
input="$out/input"
jpackage_bin="${JAVA_HOME:+$JAVA_HOME/bin/}jpackage"
command -v "$jpackage_bin" >/dev/null || jpackage_bin=jpackage

rm -rf "$out"
mkdir -p "$input/lib"
cp "$target/lathe.jar" "$input/"
# The plain (non-oneDNN) native build is only used by `bench eval` to measure DL4J's stock settings;
# the installed app runs on the oneDNN build, so the plain one (~87 MB) is left out.
for jar in "$target"/lib/*.jar; do
  case "$(basename "$jar")" in
    nd4j-native-*-linux-x86_64.jar) ;;
    *) cp "$jar" "$input/lib/" ;;
  esac
done
mkdir -p "$input/sample-models"
cp -r "$root/sample-models/." "$input/sample-models/"

java_options=(
  --java-options "-Xmx6g"
  --java-options "-Dorg.bytedeco.javacpp.maxbytes=8G"
  --java-options "-Dorg.eclipse.deeplearning4j.helpers.disable=false"
  --java-options "-Dorg.bytedeco.javacpp.platform.extension=-onednn"
)
common=(
  --name Lathe
  --app-version "$version"
  --vendor "Lathe"
  --description "Desktop workbench for compressing ResNet models"
  --icon "$root/assets/lathe.png"
  --input "$input"
  --main-jar lathe.jar
  --main-class io.lathe.Main
  "${java_options[@]}"
)

"$jpackage_bin" --type app-image --dest "$out" "${common[@]}"
echo "app image: $out/Lathe ($(du -sh "$out/Lathe" | cut -f1))"

if command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null; then
  "$jpackage_bin" --type deb --dest "$out" "${common[@]}" \
    --linux-package-name lathe --linux-shortcut --linux-menu-group "Development;Science" \
    --linux-app-category science
  deb=$(ls "$out"/*.deb)
  echo "deb: $deb ($(du -sh "$deb" | cut -f1))"
else
  echo "no .deb: install Debian's packaging tools first: apt-get install -y fakeroot dpkg"
fi
