; Inno Setup script for FoxChat on Windows: installs the PyInstaller folder
; (dist\FoxChat) with a Start menu entry and an uninstaller.
;
; Built by packaging\windows\build.ps1, which runs, from the repository root:
;   iscc /DAppVersion=<version> packaging\windows\foxchat.iss
; Output: dist\FoxChat-<version>-windows-setup.exe
;
; Installs for the current user by default (no administrator rights needed);
; the user can choose "all users" in the first dialog.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; A fixed AppId keeps upgrades and the uninstaller tied to one entry. Never change it.
AppId={{6F0C2F4E-8B61-4C4B-9A57-3E1F0B7D2C11}
AppName=FoxChat
AppVersion={#AppVersion}
AppVerName=FoxChat {#AppVersion}
AppPublisher=FoxChat contributors
DefaultDirName={autopf}\FoxChat
DefaultGroupName=FoxChat
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=FoxChat-{#AppVersion}-windows-setup
SetupIconFile=foxchat.ico
UninstallDisplayIcon={app}\foxchat.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; Qt 6 needs Windows 10 1809 or newer.
MinVersion=10.0.17763

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\FoxChat\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\FoxChat"; Filename: "{app}\foxchat.exe"
Name: "{autodesktop}\FoxChat"; Filename: "{app}\foxchat.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\foxchat.exe"; Description: "{cm:LaunchProgram,FoxChat}"; Flags: nowait postinstall skipifsilent

; Conversations, settings and logs live in %LOCALAPPDATA%\FoxChat and the key in
; Windows Credential Manager; uninstalling leaves both, so a reinstall finds them.
