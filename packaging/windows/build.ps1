# Build the Windows release of FoxChat: PyInstaller folder, self-check, Inno Setup installer.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Needs Python 3.11+ (python.org or `winget install Python.Python.3.11`) and, for the
# installer step, Inno Setup 6 (`winget install JRSoftware.InnoSetup`). Without
# Inno Setup it stops after the folder build: dist\FoxChat\foxchat.exe runs as is.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path build\venv\Scripts\python.exe)) {
    py -3 -m venv build\venv
}
$python = "build\venv\Scripts\python.exe"
& $python -m pip install --quiet --upgrade pip
& $python -m pip install --quiet . "pyinstaller>=6"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

$version = & $python -c "import foxchat; print(foxchat.__version__)"
& $python -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller packaging\foxchat.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# foxchat.exe is windowed and cannot print; its console twin foxchat-cli.exe can.
& dist\FoxChat\foxchat-cli.exe --self-check
if ($LASTEXITCODE -ne 0) { throw "the bundle failed its self-check" }

$iscc = Get-Command iscc -ErrorAction SilentlyContinue
if (-not $iscc) {
    $default = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
    if (Test-Path $default) { $iscc = $default } else { $iscc = $null }
}
if ($null -eq $iscc) {
    Write-Host "Inno Setup not found: skipped the installer. The app is in dist\FoxChat."
    exit 0
}
& $iscc "/DAppVersion=$version" packaging\windows\foxchat.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "Built dist\FoxChat-$version-windows-setup.exe"
