@echo off
rem selfcheck offline installer for Windows: finds Python 3.11-3.13 and runs install.py next to this file.
rem Written to the bundle in cp932 with CRLF (what cmd.exe reads on Japanese Windows); kept in git as UTF-8.
setlocal
set "PY="
for %%V in (3.13 3.12 3.11) do (
  if not defined PY (
    py -%%V -c "import sys" >nul 2>&1 && set "PY=py -%%V"
  )
)
if not defined PY (
  python -c "import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)" >nul 2>&1 && set "PY=python"
)
if not defined PY (
  echo エラー: Python 3.11～3.13 が見つかりません。python.org の Windows 用インストーラー（64bit）で導入してください。
  echo error: Python 3.11 to 3.13 was not found. Install it from python.org ^(64-bit Windows installer^).
  if not defined SELFCHECK_NO_PAUSE pause
  exit /b 2
)
%PY% "%~dp0install.py" %*
set "RC=%ERRORLEVEL%"
if not defined SELFCHECK_NO_PAUSE pause
exit /b %RC%
