; Inno Setup 6 script (saved as UTF-8 with a BOM so ISCC reads the Chinese names): per-machine installer for the one-folder build in dist\lehe-desktop.
;
; Build on Windows after `make build` (or `python build_scripts\build.py`):
;   iscc /DAppVersion=0.1.0 build_scripts\windows\lehe-desktop.iss
; build.py runs this itself when ISCC.exe is found (see docs/admin.md, "Building the packages").
;
; User data is NEVER touched: each worker's encrypted database, keys, backups, settings and
; logs live in their own %LOCALAPPDATA%\Lehe\lehe-desktop (platformdirs), outside {app}. This
; script installs and removes files in {app} and the Start menu only; there is no
; [UninstallDelete] entry and no code that reaches into user profiles. Upgrades keep data:
; the same AppId installs over the old version, and the app migrates the database itself
; (after an automatic backup) the next time the worker unlocks it.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z lehe-desktop.iss
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\lehe-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

#define AppName "乐和社工 Lehe Desktop"
#define AppExe "lehe-desktop.exe"
#define AppCliExe "lehe-desktop-cli.exe"

[Setup]
; Never change AppId: it is how an upgrade finds (and replaces) the installed version.
AppId={{6F3C2A0E-4B7D-4C59-9E1A-2D8B5F0C7A13}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Lehe
DefaultDirName={autopf}\Lehe Desktop
DefaultGroupName=乐和社工 Lehe Desktop
DisableProgramGroupPage=yes
; Per-machine: installed once by an admin into Program Files, usable by every Windows account.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=lehe-desktop-{#AppVersion}-windows-x86_64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; Close a running app before replacing its files (it saves and closes the database on exit).
CloseApplications=yes
RestartApplications=no
VersionInfoVersion={#AppVersion}
VersionInfoProductName=Lehe Desktop

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; Remove the previous version's bundle first so no stale DLL or module survives an upgrade.
; Only inside {app}: never anything in a user's profile.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\乐和社工 Lehe Desktop"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
; For admins: runs the headless self-test in a console window that stays open.
Name: "{group}\自检 Self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#AppCliExe}"" --self-test"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\乐和社工 Lehe Desktop"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent unchecked

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    SuppressibleMsgBox(
      '程序已卸载。每位社工的数据（加密数据库、备份、设置）仍保留在各自的' + #13#10 +
      '%LOCALAPPDATA%\Lehe\lehe-desktop 文件夹中，需要时可重新安装后继续使用。' + #13#10 + #13#10 +
      'The program was removed. Each worker''s data (encrypted database, backups, settings)' + #13#10 +
      'stays in their %LOCALAPPDATA%\Lehe\lehe-desktop folder; reinstall to use it again.',
      mbInformation, MB_OK, IDOK);
end;
