#!/usr/bin/env bash
# Regenerates Proto/Onnx.cs from Proto/onnx.proto with the protoc that Google.Protobuf.Tools ships
# (linux-x64 here; the package has windows and macosx builds too). The output is committed so that a
# build never needs protoc.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version=3.36.2
tools="${NUGET_PACKAGES:-$HOME/.nuget/packages}/google.protobuf.tools/$version"
if [ ! -d "$tools" ]; then
  work="$(mktemp -d)"
  cat > "$work/restore.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Google.Protobuf.Tools" Version="[$version]" /></ItemGroup>
</Project>
PROJ
  dotnet restore "$work/restore.csproj" >/dev/null
  rm -rf "$work"
fi
protoc="$tools/tools/linux_x64/protoc"
chmod +x "$protoc"
"$protoc" --proto_path="$here" --csharp_out="$here" --csharp_opt=file_extension=.cs,internal_access "$here/onnx.proto"
echo "wrote $here/Onnx.cs"
