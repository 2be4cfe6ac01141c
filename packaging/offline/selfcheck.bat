@echo off
rem Starts selfcheck from the virtual environment that install.bat made next to this file.
if not exist "%~dp0venv\Scripts\selfcheck.exe" (
  echo 先に install.bat を実行してください。 / Run install.bat first.
  exit /b 2
)
"%~dp0venv\Scripts\selfcheck.exe" %*
exit /b %ERRORLEVEL%
