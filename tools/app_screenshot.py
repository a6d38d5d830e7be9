"""Rewrite the demo app's screenshot in the docs (nbs/images/app_digits.png): the quick-start run, one uploaded test digit.

Starts the app on a free port of 127.0.0.1, drives Debian's headless Chromium (apt: chromium chromium-driver) with Selenium,
uploads the digit, waits for the answer and saves the page. The same steps are tested in nbs/60_app.ipynb.

    python tools/app_screenshot.py [--out nbs/images/app_digits.png]
"""
import argparse, contextlib, io, tempfile, time
from pathlib import Path

import vitcars  # noqa: F401
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from vitcars.app import launch_app
from vitcars.data import decode_image, load_image_dataset
from vitcars.runs import project_path
from vitcars.test_utils import free_port

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('--out', default=str(project_path('nbs/images/app_digits.png')))
ap.add_argument('--row', type=int, default=5, help='the test digit to upload')
a = ap.parse_args()

tmp = Path(tempfile.mkdtemp())
digit = tmp / f'test_digit_{a.row}.png'
decode_image(load_image_dataset('digits')['test'][a.row]['image']).save(digit)
port = free_port()
demo = launch_app([project_path('results/digits_quick')], port=port, block=False, quiet=True, inline=False)
o = webdriver.ChromeOptions(); o.binary_location = '/usr/bin/chromium'
for arg in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--window-size=1280,940'): o.add_argument(arg)
driver = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=o)
try:
    driver.get(demo.local_url)
    wait = WebDriverWait(driver, 120)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#upload input[type=file]'))
    driver.find_element(By.CSS_SELECTOR, '#upload input[type=file]').send_keys(str(digit))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#overlay img'))
    time.sleep(1)                                                        # let the bars finish their transition
    driver.save_screenshot(a.out)
finally:
    driver.quit()
    with contextlib.redirect_stdout(io.StringIO()): demo.close()                 # no 'Closing server' line
print(a.out)
