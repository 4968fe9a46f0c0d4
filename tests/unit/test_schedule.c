/*
 * The scheduled-run definitions (schedule.c): systemd units, crontab
 * lines and the Task Scheduler XML, exact text for fixed inputs, and the
 * quoting of awkward paths in each.
 */
#include "unit.h"

/* 2026-11-23T13:50:17Z; the next whole minute is 13:51:00 (TZ=UTC). */
#define NOW	((time_t)1795441817)

static struct sched
base(void)
{
	struct sched	 s;

	memset(&s, 0, sizeof(s));
	s.every = 300;
	s.exe = "/usr/local/bin/ddnsup";
	s.config = "/etc/ddnsup/ddnsup.json";
	s.now = NOW;
	return s;
}

static void
test_service(void **state)
{
	struct sched	 s = base();
	char		*t;

	(void)state;
	t = sched_unit_service(&s);
	assert_string_equal(t,
	    "# Written by ddnsup --install-task; remove with ddnsup "
	    "--uninstall-task.\n"
	    "[Unit]\n"
	    "Description=ddnsup: point DNS records at this network's public "
	    "address\n"
	    "Documentation=man:ddnsup(1)\n"
	    "Wants=network-online.target\n"
	    "After=network-online.target\n"
	    "\n"
	    "[Service]\n"
	    "Type=oneshot\n"
	    "ExecStart=\"/usr/local/bin/ddnsup\" -c \"/etc/ddnsup/ddnsup.json\"\n"
	    "# 3: done, but behind NAT; 75: temporary, the timer retries "
	    "(ddnsup(1)).\n"
	    "SuccessExitStatus=3 75\n"
	    "NoNewPrivileges=yes\n"
	    "ProtectSystem=full\n");
	free(t);

	/* A user unit: no ProtectSystem; awkward characters quoted for
	 * systemd: \ and " escaped, % and $ doubled. */
	s.user = "user";
	s.config = "/home/a b/%h \"q\" $HOME\\x.json";
	s.state = "/home/a b/state.json";
	t = sched_unit_service(&s);
	assert_non_null(strstr(t, "ExecStart=\"/usr/local/bin/ddnsup\" -c "
	    "\"/home/a b/%%h \\\"q\\\" $$HOME\\\\x.json\" --state "
	    "\"/home/a b/state.json\"\n"));
	assert_null(strstr(t, "ProtectSystem"));
	free(t);
}

static void
test_timer(void **state)
{
	struct sched	 s = base();
	char		*t;

	(void)state;
	t = sched_unit_timer(&s);
	assert_string_equal(t,
	    "# Written by ddnsup --install-task; remove with ddnsup "
	    "--uninstall-task.\n"
	    "[Unit]\n"
	    "Description=Run ddnsup every 5min\n"
	    "Documentation=man:ddnsup(1)\n"
	    "\n"
	    "[Timer]\n"
	    "OnBootSec=1min\n"
	    "OnUnitActiveSec=5min\n"
	    "AccuracySec=10s\n"
	    "Unit=ddnsup.service\n"
	    "\n"
	    "[Install]\n"
	    "WantedBy=timers.target\n");
	free(t);

	/* A user's timer starts with their manager, not at boot. */
	s.user = "user";
	s.every = 2 * 3600;
	t = sched_unit_timer(&s);
	assert_non_null(strstr(t, "\nOnStartupSec=1min\n"
	    "OnUnitActiveSec=2h\nAccuracySec=1min\n"));
	free(t);
	s.every = 90;
	t = sched_unit_timer(&s);
	assert_non_null(strstr(t, "\nOnUnitActiveSec=90s\n"));
	free(t);
}

static void
test_cron(void **state)
{
	static const struct {
		long		 every;
		const char	*when;	/* NULL: cron cannot */
	} cases[] = {
		{ 60, "* * * * *" },
		{ 300, "*/5 * * * *" },
		{ 900, "*/15 * * * *" },
		{ 1800, "*/30 * * * *" },
		{ 3600, "0 * * * *" },
		{ 3 * 3600, "0 */3 * * *" },
		{ 12 * 3600, "0 */12 * * *" },
		{ 86400, "0 0 * * *" },
		{ 420, NULL },		/* 7 minutes */
		{ 90, NULL },
		{ 5 * 3600, NULL },
		{ 5400, NULL },		/* 1 h 30 */
		{ 2 * 86400, NULL },
	};
	struct sched	 s = base();
	const char	*why;
	char		*t, want[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s.every = cases[i].every;
		why = NULL;
		t = sched_cron(&s, &why);
		if (cases[i].when == NULL) {
			assert_null(t);
			assert_non_null(strstr(why, "divides 60"));
			continue;
		}
		assert_non_null(t);
		snprintf(want, sizeof(want), "\n%s '/usr/local/bin/ddnsup' -q "
		    "-c '/etc/ddnsup/ddnsup.json'\n@reboot sleep 60 && "
		    "'/usr/local/bin/ddnsup' -q -c '/etc/ddnsup/ddnsup.json'\n",
		    cases[i].when);
		if (strstr(t, want) == NULL)
			fail_msg("every %ld: got\n%s", s.every, t);
		free(t);
	}

	/* ' and % survive sh and cron. */
	s.every = 300;
	s.config = "/srv/it's 100%.json";
	t = sched_cron(&s, &why);
	assert_non_null(strstr(t, "-c '/srv/it'\\''s 100\\%.json'\n"));
	free(t);
}

static void
test_task_system(void **state)
{
	struct sched	 s = base();
	char		*t;

	(void)state;
	s.exe = "C:\\Program Files\\ddnsup\\ddnsup.exe";
	s.config = "C:\\ProgramData\\ddnsup\\ddnsup.json";
	s.log = "C:\\ProgramData\\ddnsup\\ddnsup.log";
	t = sched_task_xml(&s);
	assert_string_equal(t,
	    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
	    "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/"
	    "windows/2004/02/mit/task\">\n"
	    "  <RegistrationInfo>\n"
	    "    <Author>ddnsup --install-task</Author>\n"
	    "    <Description>Points DNS records at this network's public "
	    "address (ddnsup). Remove with: ddnsup --uninstall-task"
	    "</Description>\n"
	    "    <URI>\\ddnsup</URI>\n"
	    "  </RegistrationInfo>\n"
	    "  <Triggers>\n"
	    "    <BootTrigger>\n"
	    "      <Enabled>true</Enabled>\n"
	    "      <Delay>PT1M</Delay>\n"
	    "    </BootTrigger>\n"
	    "    <TimeTrigger>\n"
	    "      <Enabled>true</Enabled>\n"
	    "      <StartBoundary>2026-11-23T13:51:00</StartBoundary>\n"
	    "      <Repetition>\n"
	    "        <Interval>PT5M</Interval>\n"
	    "        <StopAtDurationEnd>false</StopAtDurationEnd>\n"
	    "      </Repetition>\n"
	    "    </TimeTrigger>\n"
	    "  </Triggers>\n"
	    "  <Principals>\n"
	    "    <Principal id=\"Author\">\n"
	    "      <UserId>S-1-5-18</UserId>\n"
	    "      <RunLevel>HighestAvailable</RunLevel>\n"
	    "    </Principal>\n"
	    "  </Principals>\n"
	    "  <Settings>\n"
	    "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\n"
	    "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>"
	    "\n"
	    "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>\n"
	    "    <StartWhenAvailable>true</StartWhenAvailable>\n"
	    "    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>\n"
	    "    <IdleSettings>\n"
	    "      <StopOnIdleEnd>false</StopOnIdleEnd>\n"
	    "      <RestartOnIdle>false</RestartOnIdle>\n"
	    "    </IdleSettings>\n"
	    "    <AllowStartOnDemand>true</AllowStartOnDemand>\n"
	    "    <Enabled>true</Enabled>\n"
	    "    <Hidden>false</Hidden>\n"
	    "    <ExecutionTimeLimit>PT10M</ExecutionTimeLimit>\n"
	    "    <Priority>7</Priority>\n"
	    "  </Settings>\n"
	    "  <Actions Context=\"Author\">\n"
	    "    <Exec>\n"
	    "      <Command>C:\\Program Files\\ddnsup\\ddnsup.exe</Command>\n"
	    "      <Arguments>-c &quot;C:\\ProgramData\\ddnsup\\ddnsup.json"
	    "&quot; --log &quot;C:\\ProgramData\\ddnsup\\ddnsup.log&quot;"
	    "</Arguments>\n"
	    "      <WorkingDirectory>C:\\Program Files\\ddnsup"
	    "</WorkingDirectory>\n"
	    "    </Exec>\n"
	    "  </Actions>\n"
	    "</Task>\n");
	free(t);
}

static void
test_task_user(void **state)
{
	struct sched	 s = base();
	char		*t;

	(void)state;
	s.user = "S-1-5-21-1004336348-1177238915-682003330-1001";
	s.every = 90 * 60;
	s.exe = "C:\\Users\\Zoë & Li\\ddnsup.exe";
	s.config = "C:\\Users\\Zoë & Li\\AppData\\Roaming\\ddnsup\\家.json";
	s.state = "D:\\";	/* a trailing \ must not eat the quote */
	t = sched_task_xml(&s);
	assert_non_null(strstr(t, "    <LogonTrigger>\n"
	    "      <Enabled>true</Enabled>\n"
	    "      <UserId>S-1-5-21-1004336348-1177238915-682003330-1001"
	    "</UserId>\n"
	    "      <Delay>PT1M</Delay>\n"
	    "    </LogonTrigger>\n"));
	assert_null(strstr(t, "BootTrigger"));
	assert_non_null(strstr(t, "<Interval>PT1H30M</Interval>"));
	assert_non_null(strstr(t, "      <UserId>S-1-5-21-1004336348-"
	    "1177238915-682003330-1001</UserId>\n"
	    "      <LogonType>S4U</LogonType>\n"
	    "      <RunLevel>LeastPrivilege</RunLevel>\n"));
	assert_non_null(strstr(t, "<Command>C:\\Users\\Zoë &amp; Li\\"
	    "ddnsup.exe</Command>"));
	assert_non_null(strstr(t, "<Arguments>-c &quot;C:\\Users\\Zoë &amp; "
	    "Li\\AppData\\Roaming\\ddnsup\\家.json&quot; --state &quot;D:\\\\"
	    "&quot;</Arguments>"));
	assert_non_null(strstr(t, "<WorkingDirectory>C:\\Users\\Zoë &amp; Li"
	    "</WorkingDirectory>"));
	free(t);

	/* The exe at a drive's root keeps its backslash: "C:\". */
	s.exe = "C:\\ddnsup.exe";
	s.every = 86400;
	t = sched_task_xml(&s);
	assert_non_null(strstr(t, "<WorkingDirectory>C:\\</WorkingDirectory>"));
	assert_non_null(strstr(t, "<Interval>P1D</Interval>"));
	free(t);
}

/*
 * "test_schedule --print-task system|user": print a definition for the
 * integration suite to check against the Task Scheduler schema.
 */
static int
print_task(const char *who)
{
	struct sched	 s = base();
	char		*t;

	s.exe = "C:\\Program Files\\ddnsup\\ddnsup.exe";
	s.config = "C:\\Users\\Zoë & Li\\AppData\\Roaming\\ddnsup\\家.json";
	s.log = "C:\\Users\\Zoë & Li\\AppData\\Local\\ddnsup\\ddnsup.log";
	s.every = 15 * 60;
	if (strcmp(who, "user") == 0)
		s.user = "S-1-5-21-1004336348-1177238915-682003330-1001";
	if ((t = sched_task_xml(&s)) == NULL)
		return 1;
	fputs(t, stdout);
	free(t);
	return 0;
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_cron),
		cmocka_unit_test(test_task_system),
		cmocka_unit_test(test_task_user),
	};

#ifdef _WIN32
	_putenv("TZ=UTC0");
#else
	setenv("TZ", "UTC", 1);
#endif
	tzset();
	if (argc == 3 && strcmp(argv[1], "--print-task") == 0)
		return print_task(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
